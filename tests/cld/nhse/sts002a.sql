-- SQLite port of NHS England's "SALT STS002a/STS002a replication code.txt" (commit d6ff762).
-- Conventions as in sts001.sql: #X is TEMP table X; SELECT ... INTO is CREATE TEMP TABLE ... AS
-- (run by the harness as CREATE with COLLATE SQLSERVER columns + INSERT); @StartDate '2023-04-01'
-- = :period_start, @EndDate '2023-12-31' = :period_end, the submission cut-off '2024-02-01' =
-- :import_cutoff, GETDATE() = :today. Its ST-Max cohort, SALT_STS002a_Cohort, is written by
-- sts001.sql, which the harness runs first. ASCOF 2A's script repeats lines 27-788 of this one
-- verbatim (as its lines 51-812), so ascof_2a.sql holds only its own final step.

-- Lines 27-49: #REF_Service_Type_Delivery_Mech, verbatim.
DROP TABLE IF EXISTS REF_Service_Type_Delivery_Mech;
CREATE TEMP TABLE REF_Service_Type_Delivery_Mech (Service_Type COLLATE SQLSERVER,
  Sort_Order INTEGER, Hierarchy INTEGER);
INSERT INTO REF_Service_Type_Delivery_Mech (Service_Type, Sort_Order, Hierarchy) VALUES
('Long Term Support: Nursing Care', 1, 1)
,('Long Term Support: Residential Care',  2, 2)
,('Long Term Support: Community',  3, 3)
,('Long Term Support: Prison', 4, 4)
,('Short Term Support: Ongoing Low Level', 5, 5)
,('Short Term Support: Other Short Term', 6, 6)
;

-- Lines 52-86: #REF_ST_MAX_Sequel_Mappings, verbatim (its SALT texts use en dashes).
DROP TABLE IF EXISTS REF_ST_MAX_Sequel_Mappings;
CREATE TEMP TABLE REF_ST_MAX_Sequel_Mappings (ST_Max_Outcome COLLATE SQLSERVER,
  SALT_Mapping COLLATE SQLSERVER, Sort_Order INTEGER);
INSERT INTO REF_ST_MAX_Sequel_Mappings (ST_Max_Outcome, SALT_Mapping, Sort_Order) VALUES
('NFA - 100% NHS funded care', 'Early cessation of service (not leading to long term support) - 100% NHS funded care/End of Life/deceased', 1)
,('NFA - Deceased', 'Early cessation of service (not leading to long term support) - 100% NHS funded care/End of Life/deceased', 1)
,('NFA - Self-funded client (Inc. 12wk disregard)', 'No services provided – needs identified but self-funding', 3)
,('NFA - Support declined', 'No services provided – needs identified but support declined', 6)
,('NFA - Information & Advice / Signposting only', 'No Services Provided – Universal Services / signposted to other services', 7)
,('NFA - Moved to another LA', 'No services provided – other', 8)
,('NFA- Other', 'No services provided – other', 8)
,('NFA - No services offered: Other reason', 'No services provided – other', 8)
,('NFA - Support ended: Other reason', 'No services provided – other', 8)
,('Progress to End of Life Care', 'No services provided – other', 8)
,('Admitted to hospital', 'No services provided – other', 8)
,('Long Term Support: Nursing Care', 'Long Term Support (any setting)', 2)
,('Long Term Support: Residential Care', 'Long Term Support (any setting)', 2)
,('Long Term Support: Community', 'Long Term Support (any setting)', 2)
,('Long Term Support: Prison', 'Long Term Support (any setting)', 2)
,('Short Term Support: Ongoing Low Level', 'Ongoing Low Level Support', 4)
,('Short Term Support: Other Short Term', 'Short Term Support (other)', 5)
,('No Service Found', 'No Service Found', 9)
;

-- Lines 90-123: #REF_Event_Outcome_Hierarchy, verbatim.
DROP TABLE IF EXISTS REF_Event_Outcome_Hierarchy;
CREATE TEMP TABLE REF_Event_Outcome_Hierarchy (Event_Outcome COLLATE SQLSERVER,
  Event_Outcome_Hierarchy INTEGER);
INSERT INTO REF_Event_Outcome_Hierarchy (Event_Outcome, Event_Outcome_Hierarchy) VALUES
('Progress to Reablement/ST-Max', 1)
,('Progress to Assessment', 2)
,('Admitted to Hospital', 3)
,('Progress to Re-assessment / Unplanned Review', 4)
,('Progress to Support Planning / Services', 5)
,('Progress to End of Life Care', 6)
,('No change in package', 7)
,('Service ended as planned', 8)
,('Progress to financial assessment', 9)
,('Provision of service', 10)
,('NFA - Deceased', 11)
,('NFA - Moved to another LA', 12)
,('NFA - 100% NHS-funded care', 13)
,('NFA - Information & Advice / Signposting only', 14)
,('NFA - Self-funded client (inc. 12wk disregard)', 15)
,('NFA - Support declined', 16)
,('NFA - Support ended – other reason', 17)
,('NFA - No services offered - other reason', 18)
,('NFA- Other', 19)
;

-- Lines 126-143: #SUBSET_BUILD.
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

-- Lines 147-159: #uniquenhs.
DROP TABLE IF EXISTS uniquenhs;
CREATE TEMP TABLE uniquenhs AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo, Der_LA_Person_Unique_Identifier_Pseudo, 'NHS' AS Source
FROM SUBSET_BUILD
WHERE Der_NHS_Number_Traced_Pseudo IS NOT NULL
;

-- Lines 162-171: #missingnhs.
DROP TABLE IF EXISTS missingnhs;
CREATE TEMP TABLE missingnhs AS
SELECT DISTINCT a.Der_Unique_Record_ID, a.Der_NHS_Number_Traced_Pseudo, a.Der_LA_Person_Unique_Identifier_Pseudo, 'LA' AS Source
FROM SUBSET_BUILD a
LEFT JOIN uniquenhs b ON a.Der_LA_Person_Unique_Identifier_Pseudo = b.Der_LA_Person_Unique_Identifier_Pseudo
WHERE a.Der_NHS_Number_Traced_Pseudo IS NULL
AND b.Der_LA_Person_Unique_Identifier_Pseudo IS NULL
;

-- Lines 174-182: #FINAL.
DROP TABLE IF EXISTS FINAL;
CREATE TEMP TABLE FINAL AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo AS ID, Source FROM uniquenhs
UNION
SELECT DISTINCT Der_Unique_Record_ID, Der_LA_Person_Unique_Identifier_Pseudo AS ID, Source FROM missingnhs
;

-- Lines 185-192: add [ID] (UPDATE ... LEFT JOIN #FINAL as a correlated subquery).
ALTER TABLE SUBSET_BUILD ADD COLUMN ID COLLATE SQLSERVER;
UPDATE SUBSET_BUILD SET ID =
  (SELECT b.ID FROM FINAL b WHERE b.Der_Unique_Record_ID = SUBSET_BUILD.Der_Unique_Record_ID);

-- Lines 195-200.
DELETE FROM SUBSET_BUILD WHERE ID IS NULL;

-- Lines 213-223: #SERVICES_WITH_CONC (CONCAT: NULL as '').
DROP TABLE IF EXISTS SERVICES_WITH_CONC;
CREATE TEMP TABLE SERVICES_WITH_CONC AS
SELECT *
, coalesce(LA_CODE, '') || coalesce(ID, '') || coalesce(CLIENT_TYPE, '') || coalesce(EVENT_START_DATE, '') || coalesce(Service_Type, '') || coalesce(Service_Component, '') || coalesce(Delivery_Mechanism, '') AS SERVICE_CONC
FROM SUBSET_BUILD
WHERE Event_Type = 'Service'
;

-- Lines 227-238: #SERVICES_LATEST ('2024-02-01' = :import_cutoff).
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

-- Lines 241-254: #SUBSET.
DROP TABLE IF EXISTS SUBSET;
CREATE TEMP TABLE SUBSET AS
SELECT * FROM (
SELECT * FROM SERVICES_LATEST
UNION
SELECT *, 'NA' AS SERVICE_CONC, '0' AS Rn FROM SUBSET_BUILD WHERE Event_Type NOT LIKE 'Service'
) a
;

-- Lines 260-296: #ST_MAX_BUILD, the ST-Max services that STS001 found as a request's sequel
-- (joined on person and start date); open ones end "today".
DROP TABLE IF EXISTS ST_MAX_BUILD;
CREATE TEMP TABLE ST_MAX_BUILD AS
SELECT a.LA_CODE, a.ID, a.Event_Start_Date
, CASE WHEN a.Event_End_Date IS NULL THEN :today ELSE a.Event_End_Date END AS Event_End_Date
, a.Event_Outcome
FROM SUBSET a
INNER JOIN SALT_STS002a_Cohort b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Event_Start_Date = b.Sequel_Event_Start_Date
WHERE a.Event_Type = 'Service'
AND a.Service_Type = 'Short Term Support: ST-Max'
AND (Date_of_Death >= :period_start OR Date_of_Death IS NULL)
GROUP BY a.LA_CODE, a.ID, a.Event_Start_Date, a.Event_End_Date, a.Event_Outcome
;

-- Lines 300-339: islands and gaps over ST-Max, gap of up to 1 day (DATEADD(DAY, -1, ...)).
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

-- Lines 345-359: #ST_MAX_Latest_End.
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

-- Lines 363-370: #ST_MAX, clusters ending in the period.
DROP TABLE IF EXISTS ST_MAX;
CREATE TEMP TABLE ST_MAX AS
SELECT *
FROM ST_MAX_Latest_End
WHERE Cluster_End_Date BETWEEN :period_start AND :period_end
;

-- Lines 393-408: #EVENT_OUTCOME_HIERARCHY.
DROP TABLE IF EXISTS EVENT_OUTCOME_HIERARCHY;
CREATE TEMP TABLE EVENT_OUTCOME_HIERARCHY AS
SELECT a.*
, CASE WHEN b.Event_Outcome_Hierarchy IS NULL THEN 99
  ELSE b.Event_Outcome_Hierarchy END AS Event_Outcome_Hierarchy
FROM ST_MAX a
LEFT JOIN REF_Event_Outcome_Hierarchy b ON a.Event_Outcome = b.Event_Outcome
;

-- Lines 410-423: #ST_MAX_NEW_CLIENTS_DeDupe.
DROP TABLE IF EXISTS ST_MAX_NEW_CLIENTS_DeDupe;
CREATE TEMP TABLE ST_MAX_NEW_CLIENTS_DeDupe AS
SELECT a.*
FROM EVENT_OUTCOME_HIERARCHY a
INNER JOIN
(
SELECT *
, DENSE_RANK() OVER (PARTITION BY LA_CODE, ID, ST_MAX_COUNT ORDER BY Event_Outcome_Hierarchy ASC) AS RN
FROM EVENT_OUTCOME_HIERARCHY
) b
ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.ST_MAX_COUNT = b.ST_MAX_COUNT AND a.Event_Outcome_Hierarchy = b.Event_Outcome_Hierarchy
WHERE b.RN = 1
;

-- Lines 426-442: #ST_MAX_SEQUELS, every event starting on or after the cluster's end.
DROP TABLE IF EXISTS ST_MAX_SEQUELS;
CREATE TEMP TABLE ST_MAX_SEQUELS AS
SELECT a.*
, b.LA_CODE AS Sequel_LA_Code, b.ID AS Sequel_ID, b.Event_Start_Date AS Sequel_Event_Start_Date
, b.Event_End_Date AS Sequel_Event_End_Date, b.Event_Type AS Sequel_Event_Type, b.Service_Type AS Sequel_Service_Type, b.Service_Component AS Sequel_Service_Component
, b.Event_Outcome AS Sequel_Event_Outcome
, DENSE_RANK() OVER (PARTITION BY a.LA_CODE, a.ID, a.ST_MAX_COUNT ORDER BY b.Event_Start_Date) AS Rn
FROM ST_MAX_NEW_CLIENTS_DeDupe a
LEFT JOIN SUBSET b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
WHERE b.Event_Start_Date >= a.Cluster_End_Date
;

-- Lines 445-450.
DELETE FROM ST_MAX_SEQUELS
WHERE Sequel_Service_Type = 'Short Term Support: ST-Max' AND Cluster_Start_Date = Sequel_Event_Start_Date
OR Sequel_Service_Type = 'Short Term Support: ST-Max' AND Cluster_End_Date = Sequel_Event_End_Date
;

-- Lines 455-470: #NO_SEQUEL_CHRONOLOGY.
DROP TABLE IF EXISTS NO_SEQUEL_CHRONOLOGY;
CREATE TEMP TABLE NO_SEQUEL_CHRONOLOGY AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Cluster_Start_Date, a.Cluster_End_Date, a.ST_MAX_COUNT, a.Event_Outcome
FROM ST_MAX_NEW_CLIENTS_DeDupe a
LEFT JOIN ST_MAX_SEQUELS b
ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Cluster_Start_Date = b.Cluster_Start_Date AND
a.Cluster_End_Date = b.Cluster_End_Date AND a.Event_Outcome = b.Event_Outcome AND a.ST_MAX_COUNT = b.ST_MAX_COUNT
WHERE b.LA_CODE IS NULL
;

-- Lines 473-480: DELETE a FROM ... LEFT JOIN ... WHERE b IS NULL, as NOT EXISTS.
DELETE FROM ST_MAX_NEW_CLIENTS_DeDupe
WHERE NOT EXISTS (SELECT 1 FROM ST_MAX_SEQUELS b
  WHERE ST_MAX_NEW_CLIENTS_DeDupe.LA_CODE = b.LA_CODE AND ST_MAX_NEW_CLIENTS_DeDupe.ID = b.ID
  AND ST_MAX_NEW_CLIENTS_DeDupe.Cluster_Start_Date = b.Cluster_Start_Date
  AND ST_MAX_NEW_CLIENTS_DeDupe.Cluster_End_Date = b.Cluster_End_Date
  AND ST_MAX_NEW_CLIENTS_DeDupe.Event_Outcome = b.Event_Outcome
  AND ST_MAX_NEW_CLIENTS_DeDupe.ST_MAX_COUNT = b.ST_MAX_COUNT)
;

-- Lines 483-501: #STS002a from the clusters without chronology whose outcome maps.
DROP TABLE IF EXISTS STS002a;
CREATE TEMP TABLE STS002a AS
SELECT a.LA_CODE, a.ID
, 'No_Chronology_' || Event_Outcome AS FINAL_OUTCOME
, CASE WHEN Event_Outcome = 'Service Ended As Planned' THEN 'No services provided – other'
  ELSE 'No_Chronology_' || b.SALT_Mapping END AS FINAL_OUTCOME_MAPPED
, 1 AS Record_Type
FROM NO_SEQUEL_CHRONOLOGY a
LEFT JOIN REF_ST_MAX_Sequel_Mappings b ON a.Event_Outcome = b.ST_Max_Outcome
WHERE b.SALT_Mapping IS NOT NULL
;

-- Lines 503-513: ... and those whose outcome does not map ('Service ended as planned' among them).
INSERT INTO STS002a
SELECT a.LA_CODE, a.ID
, 'No_Chronology_' || Event_Outcome AS FINAL_OUTCOME
, CASE WHEN Event_Outcome = 'Service Ended As Planned' THEN 'No services provided – other'
  ELSE 'No_Chronology_Unable_To_Classify' END AS FINAL_OUTCOME_MAPPED
, 1 AS Record_Type
FROM NO_SEQUEL_CHRONOLOGY a
LEFT JOIN REF_ST_MAX_Sequel_Mappings b ON a.Event_Outcome = b.ST_Max_Outcome
WHERE b.SALT_Mapping IS NULL
;

-- Lines 516-557: #CLUSTER; the first sequel must start within 3 days of the ST-Max end, and
-- each later one within 3 days of the previous one's end (LAG in start order; ties arbitrary).
DROP TABLE IF EXISTS CLUSTER;
CREATE TEMP TABLE CLUSTER AS
SELECT *,
MIN(In_Chain) OVER (PARTITION BY LA_CODE, ID, ST_MAX_Count ORDER BY Sequel_Event_Start_Date) AS In_Scope
FROM
(
SELECT *,
CASE
WHEN Sequel_Event_End_Date IS NULL AND Rn = 1 THEN 1
WHEN (julianday(Sequel_Event_Start_Date) - julianday(Cluster_End_Date)) > 3 AND Rn = 1 THEN 0
ELSE MIN(Flag) OVER (PARTITION BY LA_CODE, ID, ST_MAX_Count ORDER BY Sequel_Event_Start_Date) END AS In_Chain
FROM
(
  SELECT *,
    CASE WHEN
     julianday(Sequel_Event_Start_Date)
       - julianday(LAG(Sequel_Event_End_Date) OVER (PARTITION BY LA_Code, ID, ST_MAX_Count ORDER BY Sequel_Event_Start_Date))
     > 3 THEN 0
     ELSE 1 END AS Flag
  FROM ST_MAX_SEQUELS
) Create_Cluster
) x
;

-- Lines 560-586: #ST_MAX_WITH_BREAKS (another ST-Max stops the chain).
DROP TABLE IF EXISTS ST_MAX_WITH_BREAKS;
CREATE TEMP TABLE ST_MAX_WITH_BREAKS AS
SELECT b.*
, CASE WHEN c.Hierarchy IS NULL THEN 99 ELSE c.Hierarchy END AS Service_Hierarchy
FROM
(
SELECT *,
MIN(ST_MAX_Break) OVER (PARTITION BY LA_CODE, ID, ST_MAX_Count ORDER BY Sequel_Event_Start_Date) AS Cluster_No_STMax
FROM
(
SELECT *,
CASE
WHEN Sequel_Service_Type LIKE 'Short Term Support: ST-Max' THEN 0 ELSE 1 END AS ST_MAX_Break
FROM CLUSTER
) a
) b
LEFT JOIN REF_Service_Type_Delivery_Mech c ON b.Sequel_Service_Type = c.Service_Type
WHERE b.In_Scope = 1 AND b.Cluster_No_StMax = 1
;

-- Lines 590-607: #FIND_NEXT_SERVICES.
DROP TABLE IF EXISTS FIND_NEXT_SERVICES;
CREATE TEMP TABLE FIND_NEXT_SERVICES AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Cluster_Start_Date, a.Cluster_End_Date, a.Event_Outcome, a.ST_MAX_COUNT, a.Sequel_Service_Type AS FINAL_OUTCOME
FROM ST_MAX_WITH_BREAKS a
INNER JOIN
(
SELECT LA_CODE, ID, ST_MAX_Count, MIN(Service_Hierarchy) AS Cluster_Outcome
FROM ST_MAX_WITH_BREAKS
GROUP BY LA_CODE, ID, ST_MAX_Count
) b
ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a.ST_MAX_COUNT = b.ST_MAX_COUNT AND a.Service_Hierarchy = b.Cluster_Outcome
WHERE Cluster_Outcome != 99
;

-- Lines 610-618.
INSERT INTO STS002a
SELECT a.LA_CODE, a.ID
, a.FINAL_OUTCOME
, b.SALT_MAPPING AS FINAL_OUTCOME_MAPPED
, 2 AS Record_Type
FROM FIND_NEXT_SERVICES a
LEFT JOIN REF_ST_MAX_Sequel_Mappings b ON a.FINAL_OUTCOME = b.ST_Max_Outcome
;

-- Lines 623-651: #FIND_NEXT_OTHER.
DROP TABLE IF EXISTS FIND_NEXT_OTHER;
CREATE TEMP TABLE FIND_NEXT_OTHER AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Cluster_Start_Date, a.Cluster_End_Date, a.Event_Outcome, a.ST_MAX_COUNT
, a.Sequel_Event_Type
, a.Sequel_Event_Start_Date
, a.Sequel_Event_End_Date
, a.Sequel_Event_Outcome
, DENSE_RANK() OVER (PARTITION BY a.LA_CODE, a.ID, a.ST_MAX_COUNT ORDER BY a.Sequel_Event_End_Date DESC) AS Rn
FROM ST_MAX_WITH_BREAKS a
INNER JOIN
(
SELECT LA_CODE, ID, ST_MAX_Count, MIN(Service_Hierarchy) AS Cluster_Outcome
FROM ST_MAX_WITH_BREAKS
GROUP BY LA_CODE, ID, ST_MAX_Count
) b
ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a.ST_MAX_COUNT = b.ST_MAX_COUNT AND a.Service_Hierarchy = b.Cluster_Outcome
WHERE Cluster_Outcome = 99
;

-- Lines 654-671: #FIND_NEXT_OTHER_NFA, the latest-ending 'NFA%' sequels.
DROP TABLE IF EXISTS FIND_NEXT_OTHER_NFA;
CREATE TEMP TABLE FIND_NEXT_OTHER_NFA AS
SELECT a.LA_CODE, a.ID, a.Cluster_Start_Date, a.Cluster_End_Date, a.ST_MAX_COUNT, a.Sequel_Event_Outcome
, count(a.ID) OVER (PARTITION BY a.LA_CODE, a.ID, a.ST_MAX_COUNT) AS NFA_Count
FROM FIND_NEXT_OTHER a
INNER JOIN
(
SELECT LA_CODE, ID, ST_MAX_Count, MIN(Rn) AS Cluster_Outcome
FROM FIND_NEXT_OTHER
WHERE Sequel_Event_Outcome LIKE 'NFA%'
GROUP BY LA_CODE, ID, ST_MAX_Count
) b
ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.ST_MAX_COUNT = b.ST_MAX_COUNT AND a.Rn = b.Cluster_Outcome
WHERE Sequel_Event_Outcome LIKE 'NFA%'
;

-- Lines 674-688.
INSERT INTO STS002a
SELECT DISTINCT a.LA_CODE, a.ID
, CASE WHEN NFA_Count = 1 THEN a.Sequel_Event_Outcome
  ELSE 'NFA- Other'
  END AS FINAL_OUTCOME
, CASE WHEN NFA_Count = 1 THEN b.SALT_Mapping
  ELSE 'No services provided – other'
  END AS FINAL_OUTCOME_MAPPED
, 3 AS Record_Type
FROM FIND_NEXT_OTHER_NFA a
LEFT JOIN REF_ST_MAX_Sequel_Mappings b ON a.Sequel_Event_Outcome = b.ST_Max_Outcome
;

-- Lines 692-703: #FIND_NEXT_OTHER_No_Outcome.
DROP TABLE IF EXISTS FIND_NEXT_OTHER_No_Outcome;
CREATE TEMP TABLE FIND_NEXT_OTHER_No_Outcome AS
SELECT DISTINCT a.LA_CODE, a.ID, a.ST_MAX_COUNT, a.Event_Outcome
FROM FIND_NEXT_OTHER a
LEFT JOIN FIND_NEXT_OTHER_NFA b
ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.ST_MAX_COUNT = b.ST_MAX_COUNT
WHERE b.LA_CODE IS NULL
;

-- Lines 707-719. NB T-SQL writes 'No services provided - other' here with a HYPHEN, where every
-- other path and ASCOF 2A's counting lists have an en dash; kept, so an ST-Max ended as planned
-- with only non-NFA sequels falls out of ASCOF 2A.
INSERT INTO STS002a
SELECT a.LA_CODE, a.ID
, 'No Service Found_' || a.Event_Outcome AS FINAL_OUTCOME
, CASE WHEN a.Event_Outcome LIKE 'NFA%' THEN b.SALT_Mapping
  WHEN a.Event_Outcome = 'Service Ended as Planned' THEN 'No services provided - other'
  ELSE 'No Service Found'
  END AS FINAL_OUTCOME_MAPPED
, 4 AS Record_Type
FROM FIND_NEXT_OTHER_No_Outcome a
LEFT JOIN REF_ST_MAX_Sequel_Mappings b ON a.Event_Outcome = b.ST_Max_Outcome
;

-- Lines 722-741: #FIND_NEXT_OUT_OF_SCOPE.
DROP TABLE IF EXISTS FIND_NEXT_OUT_OF_SCOPE;
CREATE TEMP TABLE FIND_NEXT_OUT_OF_SCOPE AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Cluster_Start_Date, a.Cluster_End_Date, a.ST_MAX_COUNT, a.Event_Outcome
FROM CLUSTER a
LEFT JOIN ST_MAX_WITH_BREAKS b
ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Cluster_Start_Date = b.Cluster_Start_Date AND a.Cluster_End_Date = b.Cluster_End_Date AND a.Event_Outcome = b.Event_Outcome
WHERE b.LA_CODE IS NULL
;

-- Lines 745-758.
INSERT INTO STS002a
SELECT LA_CODE, ID
, 'No_Chronology_' || Event_Outcome AS FINAL_OUTCOME
, CASE WHEN Event_Outcome = 'Service Ended as Planned' THEN 'No services provided – other'
  ELSE 'No_Chronology_' || b.SALT_MAPPING END AS FINAL_OUTCOME_MAPPED
, 5 AS Record_Type
FROM FIND_NEXT_OUT_OF_SCOPE a
LEFT JOIN REF_ST_MAX_Sequel_Mappings b ON a.Event_Outcome = b.ST_Max_Outcome
WHERE b.SALT_Mapping IS NOT NULL
;

-- Lines 761-775.
INSERT INTO STS002a
SELECT LA_CODE, ID
, 'No_Chronology_' || Event_Outcome AS FINAL_OUTCOME
, CASE WHEN Event_Outcome = 'Service Ended as Planned' THEN 'No services provided – other'
  ELSE 'No_Chronology_Unable_To_Classify' END AS FINAL_OUTCOME_MAPPED
, 5 AS Record_Type
FROM FIND_NEXT_OUT_OF_SCOPE a
LEFT JOIN REF_ST_MAX_Sequel_Mappings b ON a.Event_Outcome = b.ST_Max_Outcome
WHERE b.SALT_Mapping IS NULL
;

-- Lines 795-808: the published queries (ORDER BY added for a stable output).
SELECT LA_CODE, FINAL_OUTCOME_MAPPED, count(*)
FROM STS002a
GROUP BY LA_CODE, FINAL_OUTCOME_MAPPED
ORDER BY 1, 2;

SELECT FINAL_OUTCOME_MAPPED, count(*)
FROM STS002a
GROUP BY FINAL_OUTCOME_MAPPED
ORDER BY 1;
