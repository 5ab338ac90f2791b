-- SQLite port of NHS England's "SALT LTS001c/LTS001c replication code.txt" (commit d6ff762).
-- Conventions as in sts001.sql: #X is TEMP table X; SELECT ... INTO is CREATE TEMP TABLE ... AS
-- (run by the harness as CREATE with COLLATE SQLSERVER columns + INSERT); GETDATE() = :today.
-- #Latest_Submission's hard-coded dates: Reporting_Period_Start_Date <= '2023-04-01' (the
-- financial year's 1 April) = :period_start; Reporting_Period_End_Date >= '2023-12-31' and
-- ImportDate > '2023-12-31' = :period_end; ImportDate <= '2024-03-01' = :import_cutoff.
-- @SnapshotDate '2023-12-31' = :period_end; the chain cut-off '2022-12-31' (a year before it)
-- = date(:period_end, '-1 year').

-- Lines 18-48: #REF_Service_Type_Delivery_Mech, verbatim.
DROP TABLE IF EXISTS REF_Service_Type_Delivery_Mech;
CREATE TEMP TABLE REF_Service_Type_Delivery_Mech (Service_Type COLLATE SQLSERVER,
  Delivery_Mechanism COLLATE SQLSERVER, SALT_Category COLLATE SQLSERVER,
  SALT_Broad_Category COLLATE SQLSERVER, Sort_Order INTEGER, Hierarchy INTEGER);
INSERT INTO REF_Service_Type_Delivery_Mech (Service_Type, Delivery_Mechanism, SALT_Category,
  SALT_Broad_Category, Sort_Order, Hierarchy) VALUES
('Long Term Support: Nursing Care', '', 'Nursing', 'Nursing', 1, 1)
,('Long Term Support: Residential Care', '', 'Residential', 'Residential', 2, 2)
,('Long Term Support: Community', 'Direct Payment', 'Community: Direct Payment', 'Community', 3, 3)
,('Long Term Support: Community', 'CASSR Managed Personal Budget', 'Community: CASSR Managed Personal Budget', 'Community', 4, 4)
,('Long Term Support: Community', 'CASSR Commissioned Support', 'Community: CASSR Commissioned Support', 'Community', 5, 5)
,('Long Term Support: Community', '', 'Community', 'Community', 6, 6)
,('Long Term Support: Prison', 'CASSR Managed Personal Budget', 'Prison: CASSR Managed Personal Budget', 'Prison', 7, 7)
,('Long Term Support: Prison', 'CASSR Commissioned Support', 'Prison: CASSR Commissioned Support', 'Prison', 8, 8)
,('Long Term Support: Prison', '', 'Prison', 'Prison', 9, 9)
;

-- Lines 52-79: #REF_PSR, verbatim (built, but unused by this script's final tables).
DROP TABLE IF EXISTS REF_PSR;
CREATE TEMP TABLE REF_PSR (Primary_Support_Reason COLLATE SQLSERVER);
INSERT INTO REF_PSR (Primary_Support_Reason) VALUES
('Physical Support: Access & mobility only')
,('Physical Support: Personal care support')
,('Sensory Support: Support for visual impairment')
,('Sensory Support: Support for hearing impairment')
,('Sensory Support: Support for dual impairment')
,('Support with Memory & Cognition')
,('Learning Disability Support')
,('Mental Health Support')
,('Social Support: Substance misuse support')
,('Social Support: Asylum seeker support')
,('Social Support: Support for Social Isolation/Other')
,('Social Support: Support to Carer')
,('Unknown')
;

-- Lines 84-129: #Latest_Submission, each LA's last file in the window.
DROP TABLE IF EXISTS Latest_Submission;
CREATE TEMP TABLE Latest_Submission AS
SELECT DISTINCT
  LA_Name,
  ImportDate
FROM (
  SELECT
    *,
    ROW_NUMBER() OVER (PARTITION BY LA_Name, LA_Code ORDER BY ImportDate DESC) AS "row"
  FROM (
    SELECT
      LA_Name,
      LA_Code,
      ImportDate,
      MIN(Reporting_Period_Start_Date) AS Reporting_Period_Start_Date,
      MAX(Reporting_Period_End_Date) AS Reporting_Period_End_Date
    FROM CLD_R1_Raw
    WHERE LA_Name IS NOT NULL
    GROUP BY
      LA_Name,
      LA_Code,
      ImportDate
  ) a
  WHERE Reporting_Period_Start_Date <= :period_start
  AND Reporting_Period_End_Date >= :period_end
  AND ImportDate > :period_end
  AND ImportDate <= :import_cutoff
) b
WHERE "row" = 1
;

-- Lines 150-174: #LTS001c_Build, long-term services started by the snapshot (no end filter yet).
DROP TABLE IF EXISTS LTS001c_Build;
CREATE TEMP TABLE LTS001c_Build AS
SELECT a.*
, printf('%04d-%02d-01', Der_Birth_Year, Der_Birth_Month) AS Der_DOB
, CAST(floor((julianday(:period_end) - julianday(printf('%04d-%02d-01', Der_Birth_Year, Der_Birth_Month))) / 365.25) AS INTEGER) AS Der_Age_Snapshot_Date
, CASE WHEN Primary_Support_Reason = 'Unknown' OR Primary_Support_Reason IS NULL THEN 0 ELSE 1 END AS Der_PSR_Known
FROM CLD_R1_Raw a
INNER JOIN Latest_Submission b ON a.LA_Name = b.LA_Name AND a.ImportDate = b.ImportDate
WHERE Service_Type IN ('Long Term Support: Nursing Care', 'Long Term Support: Residential Care', 'Long Term Support: Community', 'Long Term Support: Prison')
AND Client_Type = 'Service User'
AND Event_Start_Date <= :period_end
AND (Date_of_Death >= :period_end OR Date_of_Death IS NULL)
AND (Der_Birth_Month IS NOT NULL AND Der_Birth_Year IS NOT NULL)
;

-- Lines 196-201: #uniquenhs.
DROP TABLE IF EXISTS uniquenhs;
CREATE TEMP TABLE uniquenhs AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo, Der_LA_Person_Unique_Identifier_Pseudo, 'NHS' AS Source
FROM LTS001c_Build
WHERE Der_NHS_Number_Traced_Pseudo IS NOT NULL
;

-- Lines 204-213: #missingnhs.
DROP TABLE IF EXISTS missingnhs;
CREATE TEMP TABLE missingnhs AS
SELECT DISTINCT a.Der_Unique_Record_ID, a.Der_NHS_Number_Traced_Pseudo, a.Der_LA_Person_Unique_Identifier_Pseudo, 'LA' AS Source
FROM LTS001c_Build a
LEFT JOIN uniquenhs b ON a.Der_LA_Person_Unique_Identifier_Pseudo = b.Der_LA_Person_Unique_Identifier_Pseudo
WHERE a.Der_NHS_Number_Traced_Pseudo IS NULL
AND b.Der_LA_Person_Unique_Identifier_Pseudo IS NULL
;

-- Lines 216-224: #FINAL.
DROP TABLE IF EXISTS FINAL;
CREATE TEMP TABLE FINAL AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo AS ID, Source FROM uniquenhs
UNION
SELECT DISTINCT Der_Unique_Record_ID, Der_LA_Person_Unique_Identifier_Pseudo AS ID, Source FROM missingnhs
;

-- Lines 227-234: add [ID] (UPDATE ... LEFT JOIN #FINAL as a correlated subquery).
ALTER TABLE LTS001c_Build ADD COLUMN ID COLLATE SQLSERVER;
UPDATE LTS001c_Build SET ID =
  (SELECT b.ID FROM FINAL b WHERE b.Der_Unique_Record_ID = LTS001c_Build.Der_Unique_Record_ID);

-- Lines 236-241: rows without an [ID] go.
DELETE FROM LTS001c_Build WHERE ID IS NULL;

-- Lines 246-255: [Proxy_End_Date]: an open service ends "today" (nvarchar in T-SQL; ISO text here).
ALTER TABLE LTS001c_Build ADD COLUMN Proxy_End_Date COLLATE SQLSERVER;
UPDATE LTS001c_Build
SET Proxy_End_Date = CASE WHEN Event_End_Date IS NULL THEN :today ELSE Event_End_Date END
;

-- Lines 260-293: #ISLANDS_AND_GAPS, chains of long-term services with gaps of at most 1 day
-- (LAG of the previous row's end in start order, not the running latest end, as in T-SQL).
DROP TABLE IF EXISTS ISLANDS_AND_GAPS;
CREATE TEMP TABLE ISLANDS_AND_GAPS AS
SELECT DISTINCT a.*
, IslandStartInd
, Islands.IslandId AS Chain_Count
, MIN(a.Event_Start_Date) OVER (PARTITION BY a.LA_CODE, a.ID, Islands.IslandId) AS Chain_Start_Date
FROM LTS001c_Build a
INNER JOIN
    (
    SELECT *,
        CASE WHEN Groups.PreviousEndDate >= date(Event_Start_Date, '-1 day') THEN 0 ELSE 1 END AS IslandStartInd,
        SUM(CASE WHEN Groups.PreviousEndDate >= date(Event_Start_Date, '-1 day') THEN 0 ELSE 1 END) OVER (PARTITION BY LA_CODE, ID ORDER BY Groups.ID, Groups.DRN) AS IslandId
    FROM
    (
        SELECT
            DENSE_RANK() OVER (PARTITION BY LA_CODE, ID ORDER BY Event_Start_Date, Proxy_End_Date) AS DRN,
            LA_CODE,
            ID,
            Event_Start_Date,
            Proxy_End_Date,
            LAG(Proxy_End_Date, 1) OVER (PARTITION BY LA_CODE, ID ORDER BY Event_Start_Date, Proxy_End_Date) AS PreviousEndDate
        FROM LTS001c_Build
    ) Groups
) Islands
ON a.ID = Islands.ID AND a.Event_Start_Date = Islands.Event_Start_Date AND a.Proxy_End_Date = Islands.Proxy_End_Date
;

-- Lines 298-310: #LTS001c_Raw: chain started more than a year before the snapshot ('2022-12-31',
-- strictly before) and the row ends on or after the snapshot ('2023-12-31').
DROP TABLE IF EXISTS LTS001c_Raw;
CREATE TEMP TABLE LTS001c_Raw AS
SELECT *
FROM ISLANDS_AND_GAPS
WHERE Chain_Start_Date < date(:period_end, '-1 year')
AND Proxy_End_Date >= :period_end
;

-- Lines 316-330: invalid or unexpected Delivery_Mechanism becomes '' (UPDATE a ... FROM a LEFT JOIN REF:
-- a REF row matches at most once, so the join is an EXISTS). NULL becomes '' too.
UPDATE LTS001c_Raw SET Delivery_Mechanism =
(CASE WHEN EXISTS (SELECT 1 FROM REF_Service_Type_Delivery_Mech b
        WHERE trim(LTS001c_Raw.Service_Type) = trim(b.Service_Type) COLLATE SQLSERVER
        AND trim(LTS001c_Raw.Delivery_Mechanism) = trim(b.Delivery_Mechanism) COLLATE SQLSERVER)
      AND LTS001c_Raw.Service_Type IN ('Long Term Support: Community', 'Long Term Support: Prison') THEN LTS001c_Raw.Delivery_Mechanism
      ELSE ''
      END)
;

-- Lines 334-347: #LTS001c_T1a, with the REF table's Sort_Order and Hierarchy.
DROP TABLE IF EXISTS LTS001c_T1a;
CREATE TEMP TABLE LTS001c_T1a AS
SELECT a.*
, b.Sort_Order
, b.Hierarchy
FROM LTS001c_Raw a
LEFT JOIN REF_Service_Type_Delivery_Mech b ON trim(a.Service_Type) = trim(b.Service_Type) COLLATE SQLSERVER
AND trim(a.Delivery_Mechanism) = trim(b.Delivery_Mechanism) COLLATE SQLSERVER
WHERE a.Der_Age_Snapshot_Date BETWEEN 18 AND 64
;

-- Lines 373-379: #LTS001c_T1a_MinRank, the best setting of each person.
DROP TABLE IF EXISTS LTS001c_T1a_MinRank;
CREATE TEMP TABLE LTS001c_T1a_MinRank AS
SELECT LA_Code, ID, Min(Hierarchy) AS "RANK"
FROM LTS001c_T1a
GROUP BY LA_Code, ID
;

-- Lines 381-391: #LTS001c_T1a_PSR_Known, known Primary_Support_Reason preferred.
DROP TABLE IF EXISTS LTS001c_T1a_PSR_Known;
CREATE TEMP TABLE LTS001c_T1a_PSR_Known AS
SELECT a.LA_Code, b.ID, b."RANK", Max(a.Der_PSR_Known) AS MaxPSRKnown
FROM LTS001c_T1a a
LEFT JOIN LTS001c_T1a_MinRank b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b."RANK"
WHERE
b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, b."RANK"
;

-- Lines 394-403: #LTS001c_T1a_COMBINED, the latest start of those.
DROP TABLE IF EXISTS LTS001c_T1a_COMBINED;
CREATE TEMP TABLE LTS001c_T1a_COMBINED AS
SELECT a.LA_Code, b.ID, "RANK", MaxPSRKnown, max(Event_Start_Date) AS MaxDate
FROM LTS001c_T1a a
LEFT JOIN LTS001c_T1a_PSR_Known b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b."RANK" AND a.Der_PSR_Known = b.MaxPSRKnown
WHERE
b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, "RANK", MaxPSRKnown
;

-- Lines 406-413: #LTS001c_T1a_Final_Staging (the raw PSR: LTS001c has no REF_PSR check here).
DROP TABLE IF EXISTS LTS001c_T1a_Final_Staging;
CREATE TEMP TABLE LTS001c_T1a_Final_Staging AS
SELECT a.LA_CODE, b.Primary_Support_Reason, b.Service_Type, b.Delivery_Mechanism, a.ID
FROM LTS001c_T1a_COMBINED a
LEFT JOIN LTS001c_T1a b ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a."RANK" = b.Hierarchy AND a.MaxPSRKnown = b.Der_PSR_Known AND a.MaxDate = b.Event_Start_Date
GROUP BY a.LA_CODE, b.Primary_Support_Reason, b.Service_Type, b.Delivery_Mechanism, a.ID
;

-- Lines 416-424: duplicates left (conflicting Primary_Support_Reason).
DROP TABLE IF EXISTS T1a_PSR_Duplicates;
CREATE TEMP TABLE T1a_PSR_Duplicates AS
SELECT LA_CODE, Service_Type, Delivery_Mechanism, ID, count(ID) AS "COUNT"
FROM LTS001c_T1a_Final_Staging
GROUP BY LA_CODE, Service_Type, Delivery_Mechanism, ID
HAVING count(ID) > 1
;

-- Lines 428-440: #LTS001c_T1a_Final; a conflicting Primary_Support_Reason becomes 'Unknown'.
DROP TABLE IF EXISTS LTS001c_T1a_Final;
CREATE TEMP TABLE LTS001c_T1a_Final AS
SELECT DISTINCT
a.LA_CODE
, CASE WHEN b."COUNT" IS NOT NULL THEN 'Unknown' ELSE a.Primary_Support_Reason END AS Primary_Support_Reason
, a.Service_Type
, a.Delivery_Mechanism
, a.ID
FROM LTS001c_T1a_Final_Staging a
LEFT JOIN T1a_PSR_Duplicates b ON a.LA_code = b.LA_Code AND a.Service_Type = b.Service_Type AND a.Delivery_Mechanism = b.Delivery_Mechanism AND a.ID = b.ID
;

-- Lines 444-451: the published counts (ORDER BY extended for a stable output).
SELECT LA_CODE, Primary_Support_Reason, Service_Type, Delivery_Mechanism, count(DISTINCT ID)
FROM LTS001c_T1a_Final
GROUP BY LA_CODE, Primary_Support_Reason, Service_Type, Delivery_Mechanism
ORDER BY 1, 2, 3, 4;

-- Lines 455-468: #LTS001c_T1b, with the REF table's Sort_Order and Hierarchy.
DROP TABLE IF EXISTS LTS001c_T1b;
CREATE TEMP TABLE LTS001c_T1b AS
SELECT a.*
, b.Sort_Order
, b.Hierarchy
FROM LTS001c_Raw a
LEFT JOIN REF_Service_Type_Delivery_Mech b ON trim(a.Service_Type) = trim(b.Service_Type) COLLATE SQLSERVER
AND trim(a.Delivery_Mechanism) = trim(b.Delivery_Mechanism) COLLATE SQLSERVER
WHERE a.Der_Age_Snapshot_Date > 64
;

-- Lines 478-484: #LTS001c_T1b_MinRank, the best setting of each person.
DROP TABLE IF EXISTS LTS001c_T1b_MinRank;
CREATE TEMP TABLE LTS001c_T1b_MinRank AS
SELECT LA_Code, ID, Min(Hierarchy) AS "RANK"
FROM LTS001c_T1b
GROUP BY LA_Code, ID
;

-- Lines 487-497: #LTS001c_T1b_PSR_Known, known Primary_Support_Reason preferred.
DROP TABLE IF EXISTS LTS001c_T1b_PSR_Known;
CREATE TEMP TABLE LTS001c_T1b_PSR_Known AS
SELECT a.LA_Code, b.ID, b."RANK", Max(a.Der_PSR_Known) AS MaxPSRKnown
FROM LTS001c_T1b a
LEFT JOIN LTS001c_T1b_MinRank b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b."RANK"
WHERE
b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, b."RANK"
;

-- Lines 501-510: #LTS001c_T1b_COMBINED, the latest start of those.
DROP TABLE IF EXISTS LTS001c_T1b_COMBINED;
CREATE TEMP TABLE LTS001c_T1b_COMBINED AS
SELECT a.LA_Code, b.ID, "RANK", MaxPSRKnown, max(Event_Start_Date) AS MaxDate
FROM LTS001c_T1b a
LEFT JOIN LTS001c_T1b_PSR_Known b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b."RANK" AND a.Der_PSR_Known = b.MaxPSRKnown
WHERE
b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, "RANK", MaxPSRKnown
;

-- Lines 514-521: #LTS001c_T1b_Final_Staging (the raw PSR: LTS001c has no REF_PSR check here).
DROP TABLE IF EXISTS LTS001c_T1b_Final_Staging;
CREATE TEMP TABLE LTS001c_T1b_Final_Staging AS
SELECT a.LA_CODE, b.Primary_Support_Reason, b.Service_Type, b.Delivery_Mechanism, a.ID
FROM LTS001c_T1b_COMBINED a
LEFT JOIN LTS001c_T1b b ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a."RANK" = b.Hierarchy AND a.MaxPSRKnown = b.Der_PSR_Known AND a.MaxDate = b.Event_Start_Date
GROUP BY a.LA_CODE, b.Primary_Support_Reason, b.Service_Type, b.Delivery_Mechanism, a.ID
;

-- Lines 524-532: duplicates left (conflicting Primary_Support_Reason).
DROP TABLE IF EXISTS T1b_PSR_Duplicates;
CREATE TEMP TABLE T1b_PSR_Duplicates AS
SELECT LA_CODE, Service_Type, Delivery_Mechanism, ID, count(ID) AS "COUNT"
FROM LTS001c_T1b_Final_Staging
GROUP BY LA_CODE, Service_Type, Delivery_Mechanism, ID
HAVING count(ID) > 1
;

-- Lines 535-547: #LTS001c_T1b_Final; a conflicting Primary_Support_Reason becomes 'Unknown'.
DROP TABLE IF EXISTS LTS001c_T1b_Final;
CREATE TEMP TABLE LTS001c_T1b_Final AS
SELECT DISTINCT
a.LA_CODE
, CASE WHEN b."COUNT" IS NOT NULL THEN 'Unknown' ELSE a.Primary_Support_Reason END AS Primary_Support_Reason
, a.Service_Type
, a.Delivery_Mechanism
, a.ID
FROM LTS001c_T1b_Final_Staging a
LEFT JOIN T1b_PSR_Duplicates b ON a.LA_code = b.LA_Code AND a.Service_Type = b.Service_Type AND a.Delivery_Mechanism = b.Delivery_Mechanism AND a.ID = b.ID
;

-- Lines 550-556: the published counts (ORDER BY extended for a stable output).
SELECT LA_CODE, Primary_Support_Reason, Service_Type, Delivery_Mechanism, count(DISTINCT ID)
FROM LTS001c_T1b_Final
GROUP BY LA_CODE, Primary_Support_Reason, Service_Type, Delivery_Mechanism
ORDER BY 1, 2, 3, 4;

-- Lines 560-564: people in each table.
SELECT count(DISTINCT ID)
FROM LTS001c_T1a_Final;

SELECT count(DISTINCT ID)
FROM LTS001c_T1b_Final;
