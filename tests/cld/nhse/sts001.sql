-- SQLite port of NHS England's "SALT STS001/STS001 replication code.txt"
-- (github.com/NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-transformations, commit d6ff762).
-- Each statement names the T-SQL lines it mirrors. Conventions of the port (nhse_port.cpp runs it):
--  * T-SQL temp tables #X are TEMP tables X; "SELECT ... INTO #X" is "CREATE TEMP TABLE X AS SELECT",
--    which the harness executes as CREATE TABLE (every column COLLATE SQLSERVER) + INSERT, so strings
--    keep SQL Server's case-insensitive, trailing-space-blind comparison in every later step.
--  * the hard-coded dates become parameters: @StartDate '2023-04-01' = :period_start,
--    @EndDate '2023-12-31' = :period_end, the submission cut-off '2024-02-01' = :import_cutoff,
--    GETDATE() = :today. Dates are ISO 'yyyy-mm-dd' text, so comparisons are string comparisons.
--  * DATEADD(DAY, n, d) = date(d, 'n days'); DATEDIFF(DAY, a, b) = julianday(b) - julianday(a).
--  * [DHSC_ASC].[CLD_R1_Raw] is the table CLD_R1_Raw the harness loads.

-- Lines 16-50: #REF_SEQUEL_MAPPING, verbatim.
DROP TABLE IF EXISTS REF_SEQUEL_MAPPING;
CREATE TEMP TABLE REF_SEQUEL_MAPPING (Event_Outcome COLLATE SQLSERVER, Mapping_Code INTEGER,
  Mapping_Description COLLATE SQLSERVER);
INSERT INTO REF_SEQUEL_MAPPING (Event_Outcome, Mapping_Code, Mapping_Description) VALUES
('Progress to Reablement/ST-Max', 2, 'Unable_To_Classify')
,('Progress to Assessment', 2, 'Unable_To_Classify')
,('Admitted to hospital', 2, 'Unable_To_Classify')
,('Progress to Re-assessment / Unplanned Review', 2, 'Unable_To_Classify')
,('Progress to Support Planning / Services', 2, 'Unable_To_Classify')
,('Progress to End of Life Care', 1, 'End of Life')
,('No change in package', 2, 'Unable_To_Classify')
,('Service ended as planned', 2, 'Unable_To_Classify')
,('NFA - Moved to another LA', 1, 'No Services Provided - other reason')
,('NFA - 100% NHS funded care', 1, '100% NHS Funded Care')
,('NFA - Self-funded client (Inc. 12wk disregard)', 1, 'No Services Provided - other reason')
,('NFA - Support declined', 1, 'No Services Provided - other reason')
,('NFA - Information & Advice / Signposting only', 1, 'Universal Services/ Signposted to other services')
,('NFA - Deceased', 1, 'No Services Provided - Deceased')
,('NFA - No services offered: Other reason', 1, 'No Services Provided - other reason')
,('NFA - Support ended: Other reason', 1, 'No Services Provided - other reason')
,('Progress to financial assessment', 2, 'Unable_To_Classify')
,('Provision of service', 2, 'Unable_To_Classify')
,('NFA- Other', 1, 'No Services Provided - other reason')
;

-- Lines 54-77: #REF_Service_Type, verbatim.
DROP TABLE IF EXISTS REF_Service_Type;
CREATE TEMP TABLE REF_Service_Type (Service_Type COLLATE SQLSERVER, Sort_Order INTEGER,
  Hierarchy INTEGER);
INSERT INTO REF_Service_Type (Service_Type, Sort_Order, Hierarchy) VALUES
('Short Term Support: ST-Max', 1, 1)
,('Long Term Support: Nursing Care', 2, 2)
,('Long Term Support: Residential Care',  3, 3)
,('Long Term Support: Community',  4, 4)
,('Long Term Support: Prison', 5, 5)
,('Short Term Support: Ongoing Low Level', 6, 6)
,('Short Term Support: Other Short Term', 7, 7)
;

-- Lines 81-114: #REF_Event_Outcome_Hierarchy, verbatim (its spellings differ from the CLD list:
-- 'NFA - 100% NHS-funded care', 'NFA - Support ended – other reason' with an en dash, ...; kept).
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

-- Lines 120-144: #ALL_EVENTS_BUILD. Der_DOB is the 1st of the birth month; the age is
-- FLOOR(DATEDIFF(DAY, Der_DOB, @EndDate) / 365.25). (T-SQL divides an int by numeric(5,2) to 6
-- decimal places; the nearest a whole-day quotient comes below an integer is 0.25/365.25, so the
-- double division floors the same.)
DROP TABLE IF EXISTS ALL_EVENTS_BUILD;
CREATE TEMP TABLE ALL_EVENTS_BUILD AS
SELECT *
, printf('%04d-%02d-01', Der_Birth_Year, Der_Birth_Month) AS Der_DOB
, CAST(floor((julianday(:period_end) - julianday(printf('%04d-%02d-01', Der_Birth_Year, Der_Birth_Month))) / 365.25) AS INTEGER) AS Der_Age_EndDate
FROM CLD_R1_Raw
WHERE Event_Type IN ('Service', 'Request', 'Review', 'Assessment')
AND Event_Start_Date <= :period_end
AND (Der_Birth_Month IS NOT NULL AND Der_Birth_Year IS NOT NULL)
AND (Date_of_Death >= :period_start OR Date_of_Death IS NULL)
AND Client_Type = 'Service User'
;

-- Lines 147-157: #uniquenhs.
DROP TABLE IF EXISTS uniquenhs;
CREATE TEMP TABLE uniquenhs AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo, Der_LA_Person_Unique_Identifier_Pseudo, 'NHS' AS Source
FROM ALL_EVENTS_BUILD
WHERE Der_NHS_Number_Traced_Pseudo IS NOT NULL
;

-- Lines 160-169: #missingnhs.
DROP TABLE IF EXISTS missingnhs;
CREATE TEMP TABLE missingnhs AS
SELECT DISTINCT a.Der_Unique_Record_ID, a.Der_NHS_Number_Traced_Pseudo, a.Der_LA_Person_Unique_Identifier_Pseudo, 'LA' AS Source
FROM ALL_EVENTS_BUILD a
LEFT JOIN uniquenhs b ON a.Der_LA_Person_Unique_Identifier_Pseudo = b.Der_LA_Person_Unique_Identifier_Pseudo
WHERE a.Der_NHS_Number_Traced_Pseudo IS NULL
AND b.Der_LA_Person_Unique_Identifier_Pseudo IS NULL
;

-- Lines 172-180: #FINAL.
DROP TABLE IF EXISTS FINAL;
CREATE TEMP TABLE FINAL AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo AS ID, Source FROM uniquenhs
UNION
SELECT DISTINCT Der_Unique_Record_ID, Der_LA_Person_Unique_Identifier_Pseudo AS ID, Source FROM missingnhs
;

-- Lines 183-190: add [ID] and UPDATE ... FROM a LEFT JOIN #FINAL (a correlated subquery here:
-- #FINAL holds at most one row a record).
ALTER TABLE ALL_EVENTS_BUILD ADD COLUMN ID COLLATE SQLSERVER;
UPDATE ALL_EVENTS_BUILD SET ID =
  (SELECT b.ID FROM FINAL b WHERE b.Der_Unique_Record_ID = ALL_EVENTS_BUILD.Der_Unique_Record_ID);

-- Lines 193-198.
DELETE FROM ALL_EVENTS_BUILD WHERE ID IS NULL;

-- Lines 212-221: #REQUESTS_WITH_CONC. CONCAT treats NULL as '' and writes a DATE as yyyy-mm-dd.
DROP TABLE IF EXISTS REQUESTS_WITH_CONC;
CREATE TEMP TABLE REQUESTS_WITH_CONC AS
SELECT *
, coalesce(LA_CODE, '') || coalesce(ID, '') || coalesce(CLIENT_TYPE, '') || coalesce(EVENT_START_DATE, '') || coalesce(Request_Route_of_Access, '') AS REQUEST_CONC
FROM ALL_EVENTS_BUILD
WHERE Event_Type = 'Request'
;

-- Lines 225-237: #REQUESTS_LATEST ('2024-02-01' = :import_cutoff).
DROP TABLE IF EXISTS REQUESTS_LATEST;
CREATE TEMP TABLE REQUESTS_LATEST AS
SELECT * FROM (
SELECT *
, DENSE_RANK() OVER (PARTITION BY REQUEST_CONC ORDER BY ImportDate DESC) AS RN
FROM REQUESTS_WITH_CONC
WHERE ImportDate <= :import_cutoff
) a
WHERE RN = 1
;

-- Lines 240-249: #SERVICES_WITH_CONC.
DROP TABLE IF EXISTS SERVICES_WITH_CONC;
CREATE TEMP TABLE SERVICES_WITH_CONC AS
SELECT *
, coalesce(LA_CODE, '') || coalesce(ID, '') || coalesce(CLIENT_TYPE, '') || coalesce(EVENT_START_DATE, '') || coalesce(Service_Type, '') || coalesce(Service_Component, '') || coalesce(Delivery_Mechanism, '') AS SERVICE_CONC
FROM ALL_EVENTS_BUILD
WHERE Event_Type = 'Service'
;

-- Lines 251-263: #SERVICES_LATEST.
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

-- Lines 267-285: #ALL_EVENTS (UNION: duplicates removed, as in T-SQL).
DROP TABLE IF EXISTS ALL_EVENTS;
CREATE TEMP TABLE ALL_EVENTS AS
SELECT * FROM (
SELECT * FROM REQUESTS_LATEST
UNION
SELECT * FROM SERVICES_LATEST
UNION
SELECT *, '99' AS CONC, '99' AS RN FROM ALL_EVENTS_BUILD WHERE Event_Type NOT IN ('Service', 'Request')
) a
;

-- Lines 291-314: #REQUESTS_BUILD; an open Request ends "today" (GETDATE() = :today).
DROP TABLE IF EXISTS REQUESTS_BUILD;
CREATE TEMP TABLE REQUESTS_BUILD AS
SELECT LA_CODE
, ID
, Der_Age_EndDate
, Event_Start_Date
, CASE WHEN Event_End_Date IS NULL THEN :today ELSE Event_End_Date END AS Event_End_Date
, Request_Route_of_Access
, Event_Outcome
FROM ALL_EVENTS
WHERE Event_Type = 'Request'
;

-- Lines 317-360: islands and gaps over Requests, gap of up to 4 days (DATEADD(DAY, -4, ...)).
-- LAG/DENSE_RANK/SUM OVER as in T-SQL (SQLite's default frame is T-SQL's: RANGE ... CURRENT ROW).
DROP TABLE IF EXISTS REQUESTS_With_Count;
CREATE TEMP TABLE REQUESTS_With_Count AS
SELECT DISTINCT a.*
, Islands.IslandId AS REQUEST_COUNT
, MIN(a.Event_Start_Date) OVER (PARTITION BY a.LA_CODE, a.ID, Islands.IslandId) AS MIN_START_DATE
FROM REQUESTS_BUILD a
INNER JOIN
    (
    SELECT
        *,
        CASE WHEN Groups.PreviousEndDate >= date(Event_Start_Date, '-4 days') THEN 0 ELSE 1 END AS IslandStartInd,
        SUM(CASE WHEN Groups.PreviousEndDate >= date(Event_Start_Date, '-4 days') THEN 0 ELSE 1 END) OVER (PARTITION BY LA_CODE, ID ORDER BY Groups.ID, Groups.DRN) AS IslandId
    FROM
    (
        SELECT
            DENSE_RANK() OVER (PARTITION BY LA_CODE, ID ORDER BY Event_Start_Date, Event_End_Date) AS DRN,
            LA_CODE,
            ID,
            Event_Start_Date,
            Event_End_Date,
            LAG(Event_End_Date, 1) OVER (PARTITION BY LA_CODE, ID ORDER BY Event_Start_Date, Event_End_Date) AS PreviousEndDate
        FROM REQUESTS_BUILD
    ) Groups
) Islands
ON a.ID = Islands.ID AND a.Event_Start_Date = Islands.Event_Start_Date AND a.Event_End_Date = Islands.Event_End_Date
;

-- Lines 368-384: #REQUESTS, the latest-ending in-period Request of each cluster
-- ('2023-04-01'..'2023-12-31' = :period_start..:period_end).
DROP TABLE IF EXISTS REQUESTS;
CREATE TEMP TABLE REQUESTS AS
SELECT DISTINCT LA_CODE, ID, Der_Age_EndDate, MIN_START_DATE AS Cluster_Start_Date, Event_End_Date AS Cluster_End_Date, Request_Route_of_Access, Event_Outcome, REQUEST_COUNT
FROM (
SELECT *,
DENSE_RANK() OVER (PARTITION BY LA_CODE, ID, REQUEST_COUNT ORDER BY Event_End_Date DESC) AS RN
FROM REQUESTS_With_Count
WHERE (Event_End_Date BETWEEN :period_start AND :period_end)
) a
WHERE RN = 1
;

-- Lines 394-416: #Service_Events, long-term services.
DROP TABLE IF EXISTS Service_Events;
CREATE TEMP TABLE Service_Events AS
SELECT LA_Code, ID, Service_Type, Event_Start_Date, Event_End_Date
FROM ALL_EVENTS
WHERE Service_Type IN
(
'Long Term Support: Nursing Care',
'Long Term Support: Residential Care',
'Long Term Support: Community',
'Long Term Support: Prison'
)
GROUP BY LA_Code, ID, Service_Type, Event_Start_Date, Event_End_Date
;

-- Lines 419-441: #ONGOING, clusters starting inside a long-term service (its end date included).
DROP TABLE IF EXISTS ONGOING;
CREATE TEMP TABLE ONGOING AS
SELECT LA_CODE, ID, Cluster_Start_Date, Cluster_End_Date, Request_Route_of_Access, Event_Outcome, REQUEST_COUNT
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
FROM REQUESTS a
LEFT JOIN Service_Events b ON a.ID = b.ID AND a.LA_Code = b.LA_Code
WHERE b.ID IS NOT NULL
) x
WHERE Service_Flag = 1
;

-- Lines 446-454: #REQUESTS_NEW_CLIENTS (a NULL route or outcome never joins, so such a
-- cluster stays "new", as in T-SQL).
DROP TABLE IF EXISTS REQUESTS_NEW_CLIENTS;
CREATE TEMP TABLE REQUESTS_NEW_CLIENTS AS
SELECT a.*
FROM REQUESTS a
LEFT JOIN ONGOING b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Cluster_Start_Date = b.Cluster_Start_Date AND a.Cluster_End_Date = b.Cluster_End_Date
AND a.Request_Route_of_Access = b.Request_Route_of_Access AND a.Event_Outcome = b.Event_Outcome AND a.REQUEST_COUNT = b.REQUEST_COUNT
WHERE b.ID IS NULL
;

-- Lines 469-477: #EVENT_OUTCOME_HIERARCHY.
DROP TABLE IF EXISTS EVENT_OUTCOME_HIERARCHY;
CREATE TEMP TABLE EVENT_OUTCOME_HIERARCHY AS
SELECT a.*
, CASE WHEN b.Event_Outcome_Hierarchy IS NULL THEN 99
  ELSE b.Event_Outcome_Hierarchy END AS Event_Outcome_Hierarchy
FROM REQUESTS_NEW_CLIENTS a
LEFT JOIN REF_Event_Outcome_Hierarchy b ON a.Event_Outcome = b.Event_Outcome
;

-- Lines 481-494: #REQUESTS_NEW_CLIENTS_DeDupe.
DROP TABLE IF EXISTS REQUESTS_NEW_CLIENTS_DeDupe;
CREATE TEMP TABLE REQUESTS_NEW_CLIENTS_DeDupe AS
SELECT a.*
FROM EVENT_OUTCOME_HIERARCHY a
INNER JOIN
(
SELECT *
, DENSE_RANK() OVER (PARTITION BY LA_CODE, ID, REQUEST_COUNT ORDER BY Event_Outcome_Hierarchy ASC) AS RN
FROM EVENT_OUTCOME_HIERARCHY
) b
ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.REQUEST_COUNT = b.REQUEST_COUNT AND a.Request_Route_of_Access = b.Request_Route_of_Access AND a.Event_Outcome_Hierarchy = b.Event_Outcome_Hierarchy
WHERE b.RN = 1
;

-- Lines 497-521: #REQUEST_SEQUELS, every event starting on or after the cluster's end.
DROP TABLE IF EXISTS REQUEST_SEQUELS;
CREATE TEMP TABLE REQUEST_SEQUELS AS
SELECT a.*
, b.LA_CODE AS Sequel_LA_Code, b.ID AS Sequel_ID, b.Event_Start_Date AS Sequel_Event_Start_Date
, b.Event_End_Date AS Sequel_Event_End_Date, b.Event_Type AS Sequel_Event_Type, b.Service_Type AS Sequel_Service_Type, b.Service_Component AS Sequel_Service_Component
, b.Event_Outcome AS Sequel_Event_Outcome
, DENSE_RANK() OVER (PARTITION BY a.LA_CODE, a.ID, a.REQUEST_COUNT ORDER BY b.Event_Start_Date) AS Rn
FROM REQUESTS_NEW_CLIENTS_DeDupe a
LEFT JOIN ALL_EVENTS b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID
WHERE b.Event_Start_Date >= a.Cluster_End_Date
;

-- Lines 525-530: the cluster's own Requests out of its sequels (AND binds tighter than OR, as in T-SQL).
DELETE FROM REQUEST_SEQUELS
WHERE Sequel_Event_Type = 'Request' AND Cluster_Start_Date = Sequel_Event_Start_Date
OR Sequel_Event_Type = 'Request' AND Cluster_End_Date = Sequel_Event_End_Date
;

-- Lines 534-549: #NO_SEQUEL_CHRONOLOGY.
DROP TABLE IF EXISTS NO_SEQUEL_CHRONOLOGY;
CREATE TEMP TABLE NO_SEQUEL_CHRONOLOGY AS
SELECT a.*
FROM REQUESTS_NEW_CLIENTS_DeDupe a
LEFT JOIN REQUEST_SEQUELS b
ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Cluster_Start_Date = b.Cluster_Start_Date AND
a.Cluster_End_Date = b.Cluster_End_Date AND a.Event_Outcome = b.Event_Outcome AND a.REQUEST_COUNT = b.REQUEST_COUNT
WHERE b.LA_CODE IS NULL
;

-- Lines 553-560: DELETE a FROM ... LEFT JOIN ... WHERE b IS NULL, as NOT EXISTS.
DELETE FROM REQUESTS_NEW_CLIENTS_DeDupe
WHERE NOT EXISTS (SELECT 1 FROM REQUEST_SEQUELS b
  WHERE REQUESTS_NEW_CLIENTS_DeDupe.LA_CODE = b.LA_CODE AND REQUESTS_NEW_CLIENTS_DeDupe.ID = b.ID
  AND REQUESTS_NEW_CLIENTS_DeDupe.Cluster_Start_Date = b.Cluster_Start_Date
  AND REQUESTS_NEW_CLIENTS_DeDupe.Cluster_End_Date = b.Cluster_End_Date
  AND REQUESTS_NEW_CLIENTS_DeDupe.Event_Outcome = b.Event_Outcome
  AND REQUESTS_NEW_CLIENTS_DeDupe.REQUEST_COUNT = b.REQUEST_COUNT)
;

-- Lines 566-579: #STS001.
DROP TABLE IF EXISTS STS001;
CREATE TEMP TABLE STS001
(
LA_CODE COLLATE SQLSERVER
, ID COLLATE SQLSERVER
, AGE COLLATE SQLSERVER
, ROUTE_Of_ACCESS COLLATE SQLSERVER
, FINAL_OUTCOME COLLATE SQLSERVER
, FINAL_OUTCOME_MAPPED COLLATE SQLSERVER
, Record_Type INTEGER
)
;

-- Lines 581-593: no chronology, outcome mapped ('+' and '||' are both NULL with a NULL operand).
INSERT INTO STS001
SELECT a.LA_CODE, a.ID, a.Der_Age_EndDate AS AGE, a.Request_Route_of_Access AS ROUTE_Of_ACCESS
, 'No_Chronology_' || a.Event_Outcome AS FINAL_OUTCOME
, 'No_Chronology_' || b.Mapping_Description AS FINAL_OUTCOME_MAPPED
, 1 AS Record_Type
FROM NO_SEQUEL_CHRONOLOGY a
LEFT JOIN REF_SEQUEL_MAPPING b ON a.Event_Outcome = b.Event_Outcome
WHERE b.Mapping_Description IS NOT NULL
;

-- Lines 595-604: no chronology, outcome not mapped.
INSERT INTO STS001
SELECT a.LA_CODE, a.ID, a.Der_Age_EndDate AS AGE, a.Request_Route_of_Access AS ROUTE_Of_ACCESS
, 'No_Chronology_' || a.Event_Outcome AS FINAL_OUTCOME
, 'No_Chronology_Unable_To_Classify' AS FINAL_OUTCOME_MAPPED
, 1 AS Record_Type
FROM NO_SEQUEL_CHRONOLOGY a
LEFT JOIN REF_SEQUEL_MAPPING b ON a.Event_Outcome = b.Event_Outcome
WHERE b.Mapping_Description IS NULL
;

-- Lines 612-650: #CLUSTER. Flag: gap of more than 3 days after the previous sequel's end (LAG in
-- start order; ties in start date are ordered arbitrarily, as in T-SQL); In_Chain; In_Scope.
-- The CTE Create_Cluster is written as a derived table.
DROP TABLE IF EXISTS CLUSTER;
CREATE TEMP TABLE CLUSTER AS
SELECT *,
MIN(In_Chain) OVER (PARTITION BY LA_CODE, ID, REQUEST_COUNT ORDER BY Sequel_Event_Start_Date) AS In_Scope
FROM
(
SELECT *,
CASE
WHEN Sequel_Event_End_Date IS NULL AND Rn = 1 THEN 1
WHEN (julianday(Sequel_Event_Start_Date) - julianday(Cluster_End_Date)) > 28 AND Rn = 1 THEN 0
ELSE MIN(Flag) OVER (PARTITION BY LA_CODE, ID, REQUEST_COUNT ORDER BY Sequel_Event_Start_Date) END AS In_Chain
FROM
(
  SELECT *,
    CASE WHEN
     julianday(Sequel_Event_Start_Date)
       - julianday(LAG(Sequel_Event_End_Date) OVER (PARTITION BY LA_Code, ID, REQUEST_COUNT ORDER BY Sequel_Event_Start_Date))
     > 3 THEN 0
     ELSE 1 END AS Flag
  FROM REQUEST_SEQUELS
) Create_Cluster
) x
;

-- Lines 655-681: #REQUESTS_WITH_BREAKS (a later Request in the chain stops it).
DROP TABLE IF EXISTS REQUESTS_WITH_BREAKS;
CREATE TEMP TABLE REQUESTS_WITH_BREAKS AS
SELECT b.*
, CASE WHEN c.Hierarchy IS NULL THEN 99 ELSE c.Hierarchy END AS Hierarchy
FROM
(
SELECT *,
MIN(Request_Break) OVER (PARTITION BY LA_CODE, ID, REQUEST_COUNT ORDER BY Sequel_Event_Start_Date) AS Cluster_No_Request
FROM
(
SELECT *,
CASE
WHEN Sequel_Event_Type LIKE 'Request' THEN 0 ELSE 1 END AS Request_Break
FROM CLUSTER
) a
) b
LEFT JOIN REF_Service_Type c ON b.Sequel_Service_Type = c.Service_Type
WHERE b.In_Scope = 1 AND b.Cluster_No_Request = 1
;

-- Lines 685-703: #FIND_NEXT_SERVICES, the highest-ranked service in the chain.
DROP TABLE IF EXISTS FIND_NEXT_SERVICES;
CREATE TEMP TABLE FIND_NEXT_SERVICES AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access, a.Cluster_Start_Date, a.Cluster_End_Date, a.Event_Outcome, a.REQUEST_COUNT
, a.Sequel_Service_Type AS FINAL_OUTCOME
FROM REQUESTS_WITH_BREAKS a
INNER JOIN
(
SELECT LA_CODE, ID, REQUEST_COUNT, MIN(Hierarchy) AS Cluster_Outcome
FROM REQUESTS_WITH_BREAKS
GROUP BY LA_CODE, ID, REQUEST_COUNT
) b
ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a.REQUEST_COUNT = b.REQUEST_COUNT AND a.Hierarchy = b.Cluster_Outcome
WHERE Cluster_Outcome != 99
;

-- Lines 707-729: the STS002a ST-Max cohort. T-SQL drops [ASC_Sandbox].[SALT_STS002a_Cohort] but
-- writes "into [TABLE NAME]" (a placeholder); the port writes the table STS002a reads,
-- SALT_STS002a_Cohort (a TEMP table: it lives as long as the harness's connection).
DROP TABLE IF EXISTS SALT_STS002a_Cohort;
CREATE TEMP TABLE SALT_STS002a_Cohort AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Cluster_Start_Date, a.Cluster_End_Date, a.Event_Outcome, a.REQUEST_COUNT
, a.Sequel_Event_Start_Date
, a.Sequel_Service_Type AS FINAL_OUTCOME
FROM REQUESTS_WITH_BREAKS a
INNER JOIN
(
SELECT LA_CODE, ID, REQUEST_COUNT, MIN(Hierarchy) AS Cluster_Outcome
FROM REQUESTS_WITH_BREAKS
GROUP BY LA_CODE, ID, REQUEST_COUNT
) b
ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a.REQUEST_COUNT = b.REQUEST_COUNT AND a.Hierarchy = b.Cluster_Outcome
WHERE Cluster_Outcome != 99
AND a.Sequel_Service_Type = 'Short Term Support: ST-Max'
;

-- Lines 733-740.
INSERT INTO STS001
SELECT LA_CODE, ID, Der_Age_EndDate AS AGE, Request_Route_of_Access AS ROUTE_Of_ACCESS
, FINAL_OUTCOME
, FINAL_OUTCOME AS FINAL_OUTCOME_MAPPED
, 2 AS Record_Type
FROM FIND_NEXT_SERVICES
;

-- Lines 744-771: #FIND_NEXT_OTHER, chains without a service.
DROP TABLE IF EXISTS FIND_NEXT_OTHER;
CREATE TEMP TABLE FIND_NEXT_OTHER AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access, a.Cluster_Start_Date, a.Cluster_End_Date, a.Event_Outcome, a.REQUEST_COUNT
, a.Sequel_Event_Type
, a.Sequel_Event_Start_Date
, a.Sequel_Event_End_Date
, a.Sequel_Event_Outcome
, DENSE_RANK() OVER (PARTITION BY a.LA_CODE, a.ID, a.REQUEST_COUNT ORDER BY a.Sequel_Event_End_Date DESC) AS Rn
FROM REQUESTS_WITH_BREAKS a
INNER JOIN
(
SELECT LA_CODE, ID, REQUEST_COUNT, MIN(Hierarchy) AS Cluster_Outcome
FROM REQUESTS_WITH_BREAKS
GROUP BY LA_CODE, ID, REQUEST_COUNT
) b
ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a.REQUEST_COUNT = b.REQUEST_COUNT AND a.Hierarchy = b.Cluster_Outcome
WHERE Cluster_Outcome = 99
;

-- Lines 775-793: #FIND_NEXT_OTHER_NFA, the latest-ending sequels of a chain with a Mapping_Code 1
-- outcome (all sequels ending that day are counted, NFA or not).
DROP TABLE IF EXISTS FIND_NEXT_OTHER_NFA;
CREATE TEMP TABLE FIND_NEXT_OTHER_NFA AS
SELECT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access, a.Cluster_Start_Date, a.Cluster_End_Date, a.REQUEST_COUNT, a.Sequel_Event_Outcome
, count(a.ID) OVER (PARTITION BY a.LA_CODE, a.ID, a.REQUEST_COUNT) AS NFA_Count
FROM FIND_NEXT_OTHER a
INNER JOIN
(
SELECT LA_CODE, ID, REQUEST_COUNT, MIN(Rn) AS Cluster_Outcome
FROM FIND_NEXT_OTHER a
LEFT JOIN REF_SEQUEL_MAPPING b
ON a.Sequel_Event_Outcome = b.Event_Outcome
WHERE b.Mapping_Code = 1
GROUP BY LA_CODE, ID, REQUEST_COUNT
) b
ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.REQUEST_COUNT = b.REQUEST_COUNT AND a.Rn = b.Cluster_Outcome
;

-- Lines 797-811.
INSERT INTO STS001
SELECT DISTINCT a.LA_CODE, a.ID, a.Der_Age_EndDate AS AGE, a.Request_Route_of_Access AS ROUTE_Of_ACCESS
, CASE WHEN NFA_Count = 1 THEN a.Sequel_Event_Outcome
  ELSE 'NFA- Other'
  END AS FINAL_OUTCOME
, CASE WHEN NFA_Count = 1 THEN b.Mapping_Description
  ELSE 'No Services Provided - other reason'
  END AS FINAL_OUTCOME_MAPPED
, 3 AS Record_Type
FROM FIND_NEXT_OTHER_NFA a
LEFT JOIN REF_SEQUEL_MAPPING b ON a.Sequel_Event_Outcome = b.Event_Outcome
;

-- Lines 816-826: #FIND_NEXT_OTHER_No_Outcome.
DROP TABLE IF EXISTS FIND_NEXT_OTHER_No_Outcome;
CREATE TEMP TABLE FIND_NEXT_OTHER_No_Outcome AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access, a.REQUEST_COUNT, a.Event_Outcome
FROM FIND_NEXT_OTHER a
LEFT JOIN FIND_NEXT_OTHER_NFA b
ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.REQUEST_COUNT = b.REQUEST_COUNT
WHERE b.LA_CODE IS NULL
;

-- Lines 830-841.
INSERT INTO STS001
SELECT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access
, 'No Service Found_' || a.Event_Outcome AS FINAL_OUTCOME
, CASE WHEN b.Mapping_Code = 1 THEN 'No Service Found_' || b.Mapping_Description
  ELSE 'No Service Found'
  END AS FINAL_OUTCOME_MAPPED
, 4 AS Record_Type
FROM FIND_NEXT_OTHER_No_Outcome a
LEFT JOIN REF_SEQUEL_MAPPING b ON a.Event_Outcome = b.Event_Outcome
;

-- Lines 846-865: #FIND_NEXT_OUT_OF_SCOPE.
DROP TABLE IF EXISTS FIND_NEXT_OUT_OF_SCOPE;
CREATE TEMP TABLE FIND_NEXT_OUT_OF_SCOPE AS
SELECT DISTINCT a.LA_CODE, a.ID, a.Der_Age_EndDate, a.Request_Route_of_Access, a.Cluster_Start_Date, a.Cluster_End_Date, a.Event_Outcome
FROM CLUSTER a
LEFT JOIN REQUESTS_WITH_BREAKS b
ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Cluster_Start_Date = b.Cluster_Start_Date AND a.Cluster_End_Date = b.Cluster_End_Date AND a.Event_Outcome = b.Event_Outcome
WHERE b.LA_CODE IS NULL
;

-- Lines 868-879.
INSERT INTO STS001
SELECT LA_CODE, ID, Der_Age_EndDate, Request_Route_of_Access
, 'No_Chronology_' || a.Event_Outcome AS FINAL_OUTCOME
, 'No_Chronology_' || b.Mapping_Description AS FINAL_OUTCOME_MAPPED
, 5 AS Record_Type
FROM FIND_NEXT_OUT_OF_SCOPE a
LEFT JOIN REF_SEQUEL_MAPPING b ON a.Event_Outcome = b.Event_Outcome
;

-- Lines 907-923: the published queries for the SALT tables (ORDER BY added only so the
-- harness's output is stable).
SELECT FINAL_OUTCOME, FINAL_OUTCOME_MAPPED, Record_Type, count(*)
FROM STS001
GROUP BY FINAL_OUTCOME, FINAL_OUTCOME_MAPPED, Record_Type
ORDER BY 1, 2, 3;

SELECT LA_CODE, FINAL_OUTCOME_MAPPED, count(*)
FROM STS001
GROUP BY LA_CODE, FINAL_OUTCOME_MAPPED
ORDER BY 1, 2;

SELECT FINAL_OUTCOME_MAPPED, count(*)
FROM STS001
GROUP BY FINAL_OUTCOME_MAPPED
ORDER BY 1;
