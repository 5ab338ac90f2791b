-- SQLite port of NHS England's "SALT STS002b/STS002b replication code.txt" (commit d6ff762).
-- Conventions as in sts001.sql: #X is TEMP table X; SELECT ... INTO is CREATE TEMP TABLE ... AS
-- (run by the harness as CREATE with COLLATE SQLSERVER columns + INSERT); @StartDate '2023-04-01'
-- = :period_start, @EndDate '2023-12-31' = :period_end, the submission cut-off '2024-02-01' =
-- :import_cutoff, GETDATE() = :today. The script produces only the count of ST-Max clusters of
-- existing clients (its own notes: no sequel categories).

-- Lines 18-34: #SUBSET_BUILD.
DROP TABLE IF EXISTS SUBSET_BUILD;
CREATE TEMP TABLE SUBSET_BUILD AS
SELECT *
FROM CLD_R1_Raw
WHERE Event_Start_Date <= :period_end
AND Client_Type = 'Service User'
AND Event_Type IN
(
'Request',
'Assessment',
'Service',
'Review'
)
;

-- Lines 43-49: #uniquenhs.
DROP TABLE IF EXISTS uniquenhs;
CREATE TEMP TABLE uniquenhs AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo, Der_LA_Person_Unique_Identifier_Pseudo, 'NHS' AS Source
FROM SUBSET_BUILD
WHERE Der_NHS_Number_Traced_Pseudo IS NOT NULL
;

-- Lines 52-61: #missingnhs.
DROP TABLE IF EXISTS missingnhs;
CREATE TEMP TABLE missingnhs AS
SELECT DISTINCT a.Der_Unique_Record_ID, a.Der_NHS_Number_Traced_Pseudo, a.Der_LA_Person_Unique_Identifier_Pseudo, 'LA' AS Source
FROM SUBSET_BUILD a
LEFT JOIN uniquenhs b ON a.Der_LA_Person_Unique_Identifier_Pseudo = b.Der_LA_Person_Unique_Identifier_Pseudo
WHERE a.Der_NHS_Number_Traced_Pseudo IS NULL
AND b.Der_LA_Person_Unique_Identifier_Pseudo IS NULL
;

-- Lines 64-72: #FINAL.
DROP TABLE IF EXISTS FINAL;
CREATE TEMP TABLE FINAL AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo AS ID, Source FROM uniquenhs
UNION
SELECT DISTINCT Der_Unique_Record_ID, Der_LA_Person_Unique_Identifier_Pseudo AS ID, Source FROM missingnhs
;

-- Lines 75-82: add [ID] (UPDATE ... LEFT JOIN #FINAL as a correlated subquery).
ALTER TABLE SUBSET_BUILD ADD COLUMN ID COLLATE SQLSERVER;
UPDATE SUBSET_BUILD SET ID =
  (SELECT b.ID FROM FINAL b WHERE b.Der_Unique_Record_ID = SUBSET_BUILD.Der_Unique_Record_ID);

-- Lines 85-90.
DELETE FROM SUBSET_BUILD WHERE ID IS NULL;

-- Lines 105-113: #SERVICES_WITH_CONC (CONCAT: NULL as '').
DROP TABLE IF EXISTS SERVICES_WITH_CONC;
CREATE TEMP TABLE SERVICES_WITH_CONC AS
SELECT *
, coalesce(LA_CODE, '') || coalesce(ID, '') || coalesce(CLIENT_TYPE, '') || coalesce(EVENT_START_DATE, '') || coalesce(Service_Type, '') || coalesce(Service_Component, '') || coalesce(Delivery_Mechanism, '') AS SERVICE_CONC
FROM SUBSET_BUILD
WHERE Event_Type = 'Service'
;

-- Lines 117-128: #SERVICES_LATEST ('2024-02-01' = :import_cutoff).
DROP TABLE IF EXISTS SERVICES_LATEST;
CREATE TEMP TABLE SERVICES_LATEST AS
SELECT * FROM (
SELECT *
, DENSE_RANK() OVER (PARTITION BY SERVICE_CONC ORDER BY ImportDate DESC) AS RN
FROM SERVICES_WITH_CONC
WHERE ImportDate <= :import_cutoff
) a
WHERE RN = 1
;

-- Lines 131-144: #SUBSET.
DROP TABLE IF EXISTS SUBSET;
CREATE TEMP TABLE SUBSET AS
SELECT * FROM (
SELECT * FROM SERVICES_LATEST
UNION
SELECT *, 'NA' AS SERVICE_CONC, '0' AS Rn FROM SUBSET_BUILD WHERE Event_Type NOT LIKE 'Service'
) a
;

-- Lines 154-184: #ST_MAX_BUILD, every ST-Max service (no STS001 cohort here); open ones end
-- "today".
DROP TABLE IF EXISTS ST_MAX_BUILD;
CREATE TEMP TABLE ST_MAX_BUILD AS
SELECT LA_CODE, ID, Event_Start_Date
, CASE WHEN Event_End_Date IS NULL THEN :today ELSE Event_End_Date END AS Event_End_Date
, Event_Outcome
FROM SUBSET a
WHERE Event_Type = 'Service'
AND Service_Type = 'Short Term Support: ST-Max'
AND (Date_of_Death >= :period_start OR Date_of_Death IS NULL)
GROUP BY LA_CODE, ID, Event_Start_Date, Event_End_Date, Event_Outcome
;

-- Lines 188-227: islands and gaps over ST-Max, gap of up to 1 day (DATEADD(DAY, -1, ...)).
DROP TABLE IF EXISTS ST_MAX_With_Count;
CREATE TEMP TABLE ST_MAX_With_Count AS
SELECT DISTINCT a.*, Islands.IslandId AS ST_MAX_COUNT
, MIN(a.Event_Start_Date) OVER (PARTITION BY a.LA_CODE, a.ID, Islands.IslandId) AS MIN_START_DATE
FROM ST_MAX_BUILD a
INNER JOIN
    (
    SELECT
        *,
        CASE WHEN Groups.PreviousEndDate >= date(Event_Start_Date, '-1 day') THEN 0 ELSE 1 END AS IslandStartInd,
        SUM(CASE WHEN Groups.PreviousEndDate >= date(Event_Start_Date, '-1 day') THEN 0 ELSE 1 END) OVER (PARTITION BY LA_CODE, ID ORDER BY Groups.ID, Groups.DRN) AS IslandId
    FROM
    (
        SELECT
            DENSE_RANK() OVER (PARTITION BY LA_CODE, ID ORDER BY Event_Start_Date, Event_End_Date) AS DRN,
            LA_CODE,
            ID,
            Event_Start_Date,
            Event_End_Date,
            LAG(Event_End_Date, 1) OVER (PARTITION BY LA_CODE, ID ORDER BY Event_Start_Date, Event_End_Date) AS PreviousEndDate
        FROM ST_MAX_BUILD
    ) Groups
) Islands
ON a.ID = Islands.ID AND a.Event_Start_Date = Islands.Event_Start_Date AND a.Event_End_Date = Islands.Event_End_Date
;

-- Lines 233-248: #ST_MAX_Latest_End.
DROP TABLE IF EXISTS ST_MAX_Latest_End;
CREATE TEMP TABLE ST_MAX_Latest_End AS
SELECT DISTINCT LA_CODE, ID, MIN_START_DATE AS Cluster_Start_Date, Event_End_Date AS Cluster_End_Date, Event_Outcome, ST_MAX_COUNT
FROM (
SELECT *,
DENSE_RANK() OVER (PARTITION BY LA_CODE, ID, ST_MAX_COUNT ORDER BY Event_End_Date DESC) AS RN
FROM ST_MAX_With_Count
) a
WHERE RN = 1
;

-- Lines 252-259: #ST_MAX, clusters ending in the period.
DROP TABLE IF EXISTS ST_MAX;
CREATE TEMP TABLE ST_MAX AS
SELECT *
FROM ST_MAX_Latest_End
WHERE Cluster_End_Date BETWEEN :period_start AND :period_end
;

-- Lines 273-295: #Service_Events, long-term services.
DROP TABLE IF EXISTS Service_Events;
CREATE TEMP TABLE Service_Events AS
SELECT LA_Code, ID, Service_Type, Event_Start_Date, Event_End_Date
FROM SUBSET
WHERE Service_Type IN
(
'Long Term Support: Nursing Care',
'Long Term Support: Residential Care',
'Long Term Support: Community',
'Long Term Support: Prison'
)
GROUP BY LA_Code, ID, Service_Type, Event_Start_Date, Event_End_Date
;

-- Lines 299-321: #ONGOING, clusters starting inside a long-term service (its end day included).
DROP TABLE IF EXISTS ONGOING;
CREATE TEMP TABLE ONGOING AS
SELECT LA_CODE, ID, Cluster_Start_Date, Cluster_End_Date, Event_Outcome, ST_MAX_COUNT
FROM
(
SELECT a.*
, b.ID AS Service_ID
, b.Event_Start_Date AS Service_Start_Date
, b.Event_End_Date AS Service_End_Date
, b.Service_Type
, CASE WHEN a.Cluster_Start_Date BETWEEN b.Event_Start_Date AND b.Event_End_Date THEN 1
  WHEN (a.Cluster_Start_Date >= b.Event_Start_Date AND b.Event_End_Date IS NULL) THEN 1
  ELSE 0
  END AS Service_Flag
FROM ST_MAX a
LEFT JOIN Service_Events b ON a.ID = b.ID AND a.LA_Code = b.LA_Code
WHERE b.ID IS NOT NULL
) x
WHERE Service_Flag = 1
;

-- Lines 325-332: #ST_MAX_EXISTING_CLIENTS (an inner join: a cluster inside two long-term
-- services appears twice, which the final COUNT(DISTINCT ...) absorbs).
DROP TABLE IF EXISTS ST_MAX_EXISTING_CLIENTS;
CREATE TEMP TABLE ST_MAX_EXISTING_CLIENTS AS
SELECT a.*
FROM ST_MAX a
INNER JOIN ONGOING b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Cluster_Start_Date = b.Cluster_Start_Date AND a.Cluster_End_Date = b.Cluster_End_Date
AND a.Event_Outcome = b.Event_Outcome AND a.ST_MAX_COUNT = b.ST_MAX_COUNT
;

-- Lines 344-349: the published query. CONCAT([ID], ST_MAX_COUNT) as in T-SQL (so ids ending in
-- digits could in principle collide, e.g. '91'+'1' and '9'+'11'; kept).
SELECT LA_CODE, count(DISTINCT coalesce(ID, '') || coalesce(ST_MAX_COUNT, ''))
FROM ST_MAX_EXISTING_CLIENTS
GROUP BY LA_CODE
ORDER BY 1;
