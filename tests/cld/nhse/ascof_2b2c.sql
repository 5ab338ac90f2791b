-- SQLite port of NHS England's "ASCOF 2B2C/ASCOF 2B2C replication code.txt" (commit d6ff762).
-- Conventions as in sts001.sql: #X is TEMP table X; SELECT ... INTO is CREATE TEMP TABLE ... AS
-- (run by the harness as CREATE with COLLATE SQLSERVER columns + INSERT). Hard-coded dates:
-- the year '2023-04-01'..'2024-03-31' is :period_start..:period_end; @SnapshotDate '2024-04-01'
-- (the day after the year) = date(:period_end, '+1 day'); the submission cut-off
-- ImportDate < '2024-05-01' = :import_cutoff. The script yields numerators only: the
-- denominators are ONS population estimates.

-- Lines 28-46: #RESNURS_Build, every residential or nursing service (all submissions, no date
-- filter), aged at the snapshot from the 1st of the birth month (see sts001.sql).
DROP TABLE IF EXISTS RESNURS_Build;
CREATE TEMP TABLE RESNURS_Build AS
SELECT *
, printf('%04d-%02d-01', Der_Birth_Year, Der_Birth_Month) AS Der_DOB
, CAST(floor((julianday(date(:period_end, '+1 day')) - julianday(printf('%04d-%02d-01', Der_Birth_Year, Der_Birth_Month))) / 365.25) AS INTEGER) AS Der_Age_Snapshot_Date
FROM CLD_R1_Raw
WHERE Event_Type = 'Service'
AND Client_Type = 'Service User'
AND (Service_Type = 'Long Term Support: Residential Care' OR Service_Type = 'Long Term Support: Nursing Care')
AND (Der_Birth_Month IS NOT NULL AND Der_Birth_Year IS NOT NULL)
;

-- Lines 49-58: #uniquenhs.
DROP TABLE IF EXISTS uniquenhs;
CREATE TEMP TABLE uniquenhs AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo, Der_LA_Person_Unique_Identifier_Pseudo, 'NHS' AS Source
FROM RESNURS_Build
WHERE Der_NHS_Number_Traced_Pseudo IS NOT NULL
;

-- Lines 61-70: #missingnhs.
DROP TABLE IF EXISTS missingnhs;
CREATE TEMP TABLE missingnhs AS
SELECT DISTINCT a.Der_Unique_Record_ID, a.Der_NHS_Number_Traced_Pseudo, a.Der_LA_Person_Unique_Identifier_Pseudo, 'LA' AS Source
FROM RESNURS_Build a
LEFT JOIN uniquenhs b ON a.Der_LA_Person_Unique_Identifier_Pseudo = b.Der_LA_Person_Unique_Identifier_Pseudo
WHERE a.Der_NHS_Number_Traced_Pseudo IS NULL
AND b.Der_LA_Person_Unique_Identifier_Pseudo IS NULL
;

-- Lines 73-81: #FINAL.
DROP TABLE IF EXISTS FINAL;
CREATE TEMP TABLE FINAL AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo AS ID, Source FROM uniquenhs
UNION
SELECT DISTINCT Der_Unique_Record_ID, Der_LA_Person_Unique_Identifier_Pseudo AS ID, Source FROM missingnhs
;

-- Lines 84-91: add [ID] (UPDATE ... LEFT JOIN #FINAL as a correlated subquery).
ALTER TABLE RESNURS_Build ADD COLUMN ID COLLATE SQLSERVER;
UPDATE RESNURS_Build SET ID =
  (SELECT b.ID FROM FINAL b WHERE b.Der_Unique_Record_ID = RESNURS_Build.Der_Unique_Record_ID);

-- Lines 93-98.
DELETE FROM RESNURS_Build WHERE ID IS NULL;

-- Lines 103-117: [Event_ID] = CONCAT(LA_CODE, [ID], Event_Start_Date, Client_Type, Service_Type,
-- Service_Component, Delivery_Mechanism) (NULL as '').
ALTER TABLE RESNURS_Build ADD COLUMN Event_ID COLLATE SQLSERVER;
UPDATE RESNURS_Build
SET Event_ID = coalesce(LA_CODE, '') || coalesce(ID, '') || coalesce(Event_Start_Date, '') || coalesce(Client_Type, '') || coalesce(Service_Type, '') || coalesce(Service_Component, '') || coalesce(Delivery_Mechanism, '')
;

-- Lines 120-138: #RESNURS, services open on the snapshot (ending on it or later, or open).
DROP TABLE IF EXISTS RESNURS;
CREATE TEMP TABLE RESNURS AS
SELECT *
FROM RESNURS_Build
WHERE (Event_End_Date >= date(:period_end, '+1 day') OR Event_End_Date IS NULL)
;

-- Lines 146-175: #CLOSED_EVENTS, events whose latest submission (ImportDate < '2024-05-01')
-- shows them ended before the snapshot.
DROP TABLE IF EXISTS CLOSED_EVENTS;
CREATE TEMP TABLE CLOSED_EVENTS AS
SELECT DISTINCT a.EVENT_ID, b.Latest_Event_Submission
FROM RESNURS_Build a
INNER JOIN
(
SELECT EVENT_ID, MAX(ImportDate) AS Latest_Event_Submission
FROM RESNURS_Build
WHERE ImportDate < :import_cutoff
GROUP BY EVENT_ID
) b
ON a.Event_ID = b.Event_ID AND a.ImportDate = b.Latest_Event_Submission
INNER JOIN RESNURS c ON a.Event_ID = c.Event_ID
WHERE a.Event_End_Date < date(:period_end, '+1 day')
;

-- Lines 178-187: #REOPENED, the same latest submission also holding them open.
DROP TABLE IF EXISTS REOPENED;
CREATE TEMP TABLE REOPENED AS
SELECT DISTINCT a.EVENT_ID, b.Latest_Event_Submission
FROM RESNURS_Build a
INNER JOIN CLOSED_EVENTS b
ON a.Event_ID = b.Event_ID AND a.ImportDate = b.Latest_Event_Submission
WHERE (a.Event_End_Date >= date(:period_end, '+1 day') OR a.Event_End_Date IS NULL)
;

-- Lines 190-202.
DELETE FROM RESNURS
WHERE EVENT_ID IN
(
SELECT Event_ID
FROM CLOSED_EVENTS
)
AND EVENT_ID NOT IN
(
SELECT Event_ID
FROM REOPENED
)
;

-- Lines 213-218: #PREVIOUSADMISSIONS, people in care since before the year.
DROP TABLE IF EXISTS PREVIOUSADMISSIONS;
CREATE TEMP TABLE PREVIOUSADMISSIONS AS
SELECT DISTINCT ID, LA_Code, Der_Age_Snapshot_Date
FROM RESNURS
WHERE Event_Start_Date < :period_start
;

-- Lines 221-226: #ADMISSIONS, services started in the year ('2023-04-01' <= start < '2024-04-01').
DROP TABLE IF EXISTS ADMISSIONS;
CREATE TEMP TABLE ADMISSIONS AS
SELECT DISTINCT ID, LA_Code, Der_Age_Snapshot_Date
FROM RESNURS
WHERE Event_Start_Date >= :period_start AND Event_Start_Date < date(:period_end, '+1 day')
;

-- Lines 230-237: #RESNURS_Final, admissions without an earlier stay (joined on [ID] alone).
DROP TABLE IF EXISTS RESNURS_Final;
CREATE TEMP TABLE RESNURS_Final AS
SELECT DISTINCT a.ID, a.LA_Code, a.Der_Age_Snapshot_Date
FROM ADMISSIONS a
LEFT JOIN PREVIOUSADMISSIONS b ON a.ID = b.ID
WHERE b.ID IS NULL
;

-- Lines 241-249: #ASCOF_2B_Numerator, 18-64 at the snapshot.
DROP TABLE IF EXISTS ASCOF_2B_Numerator;
CREATE TEMP TABLE ASCOF_2B_Numerator AS
SELECT LA_Code, COUNT(ID) AS Total
FROM RESNURS_Final
WHERE Der_Age_Snapshot_Date BETWEEN 18 AND 64
GROUP BY LA_Code
;

-- Lines 253-261: #ASCOF_2C_Numerator, 65+ at the snapshot.
DROP TABLE IF EXISTS ASCOF_2C_Numerator;
CREATE TEMP TABLE ASCOF_2C_Numerator AS
SELECT LA_Code, COUNT(ID) AS Total
FROM RESNURS_Final
WHERE Der_Age_Snapshot_Date > 64
GROUP BY LA_Code
;

-- The script leaves the two tables for the reader; the harness reads them.
SELECT '2B' AS Measure, LA_Code, Total FROM ASCOF_2B_Numerator
UNION ALL
SELECT '2C', LA_Code, Total FROM ASCOF_2C_Numerator
ORDER BY 1, 2;
