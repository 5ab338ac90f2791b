-- SQLite port of NHS England's "SALT LTS001b/LTS001b replication code.txt" (commit d6ff762).
-- Conventions as in sts001.sql: #X is TEMP table X; SELECT ... INTO is CREATE TEMP TABLE ... AS
-- (run by the harness as CREATE with COLLATE SQLSERVER columns + INSERT); GETDATE() = :today.
-- #Latest_Submission's hard-coded dates: Reporting_Period_Start_Date <= '2023-04-01' (the
-- financial year's 1 April) = :period_start; Reporting_Period_End_Date >= '2023-12-31' and
-- ImportDate > '2023-12-31' = :period_end; ImportDate <= '2024-03-01' = :import_cutoff.
-- @SnapshotDate '2023-12-31' = :period_end.

-- Lines 6-37: #REF_Service_Type_Delivery_Mech, verbatim.
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

-- Lines 39-56: #REF_CARER, verbatim.
DROP TABLE IF EXISTS REF_CARER;
CREATE TEMP TABLE REF_CARER (Has_Unpaid_Carer COLLATE SQLSERVER);
INSERT INTO REF_CARER (Has_Unpaid_Carer) VALUES
('Yes')
,('No')
,('Invalid')
;

-- Lines 59-96: #REF_Ethnicity, verbatim.
DROP TABLE IF EXISTS REF_Ethnicity;
CREATE TEMP TABLE REF_Ethnicity (Ethnicity_Description COLLATE SQLSERVER,
  Ethnicity_Group COLLATE SQLSERVER, Ethnicity_Order INTEGER);
INSERT INTO REF_Ethnicity (Ethnicity_Description, Ethnicity_Group, Ethnicity_Order) VALUES
('White - English, Welsh, Scottish, Northern Irish or British', 'White', 1)
,('White - Irish', 'White', 2)
,('White - Gypsy or Irish Traveller', 'White', 3)
,('White - Roma', 'White', 4)
,('White - Any other White background', 'White', 5)
,('Mixed or multiple ethnic groups - White and Black Caribbean', 'Mixed / multiple ethnic groups', 6)
,('Mixed or multiple ethnic groups - White and Black African', 'Mixed / multiple ethnic groups', 7)
,('Mixed or multiple ethnic groups - White and Asian', 'Mixed / multiple ethnic groups', 8)
,('Mixed or multiple ethnic groups - Any other Mixed or multiple ethnic background', 'Mixed / multiple ethnic groups', 9)
,('Asian or Asian British - Indian', 'Asian / Asian British', 10)
,('Asian or Asian British - Pakistani', 'Asian / Asian British', 11)
,('Asian or Asian British - Bangladeshi', 'Asian / Asian British', 12)
,('Asian or Asian British - Chinese', 'Asian / Asian British', 13)
,('Asian or Asian British - Any other Asian background', 'Asian / Asian British', 14)
,('Black, Black British, Caribbean or African - African', 'Black / African / Caribbean / Black British', 15)
,('Black, Black British, Caribbean or African - Caribbean', 'Black / African / Caribbean / Black British', 16)
,('Black, Black British, Caribbean or African - Any other Black, Black British or Caribbean background', 'Black / African / Caribbean / Black British', 17)
,('Other ethnic group - Arab', 'Other Ethnic Group', 18)
,('Other ethnic group - Any other ethnic group', 'Other Ethnic Group', 19)
,('No data - Refused', 'No Data', 20)
,('No data - Undeclared or Not known', 'No Data', 21)
;

-- Lines 99-126: #REF_PSR, verbatim.
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

-- Lines 129-174: #Latest_Submission, each LA's last file in the window.
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

-- Lines 195-222: #LTS001b_Build, long-term services open on the snapshot day (an end ON it counts).
-- Age from the 1st of the birth month, FLOOR(DATEDIFF(DAY, ..)/365.25) (see sts001.sql).
DROP TABLE IF EXISTS LTS001b_Build;
CREATE TEMP TABLE LTS001b_Build AS
SELECT a.*
, printf('%04d-%02d-01', Der_Birth_Year, Der_Birth_Month) AS Der_DOB
, CAST(floor((julianday(:period_end) - julianday(printf('%04d-%02d-01', Der_Birth_Year, Der_Birth_Month))) / 365.25) AS INTEGER) AS Der_Age_Snapshot_Date
, CASE WHEN Primary_Support_Reason = 'Unknown' OR Primary_Support_Reason IS NULL THEN 0 ELSE 1 END AS Der_PSR_Known
, CASE WHEN Has_Unpaid_Carer = 'Unknown' OR Has_Unpaid_Carer IS NULL THEN 0 ELSE 1 END AS Der_Carer_Known
, CASE WHEN Ethnicity = 'No data - Undeclared or Not known' OR Ethnicity IS NULL THEN 0 ELSE 1 END AS Der_Ethnicity_Known
FROM CLD_R1_Raw a
INNER JOIN Latest_Submission b ON a.LA_Name = b.LA_Name AND a.ImportDate = b.ImportDate
WHERE Service_Type IN ('Long Term Support: Nursing Care', 'Long Term Support: Residential Care', 'Long Term Support: Community', 'Long Term Support: Prison')
AND Client_Type = 'Service User'
AND Event_Start_Date <= :period_end
AND (Event_End_Date >= :period_end OR Event_End_Date IS NULL)
AND (Date_of_Death >= :period_end OR Date_of_Death IS NULL)
AND (Der_Birth_Month IS NOT NULL AND Der_Birth_Year IS NOT NULL)
;

-- Lines 240-249: #uniquenhs.
DROP TABLE IF EXISTS uniquenhs;
CREATE TEMP TABLE uniquenhs AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo, Der_LA_Person_Unique_Identifier_Pseudo, 'NHS' AS Source
FROM LTS001b_Build
WHERE Der_NHS_Number_Traced_Pseudo IS NOT NULL
;

-- Lines 252-261: #missingnhs.
DROP TABLE IF EXISTS missingnhs;
CREATE TEMP TABLE missingnhs AS
SELECT DISTINCT a.Der_Unique_Record_ID, a.Der_NHS_Number_Traced_Pseudo, a.Der_LA_Person_Unique_Identifier_Pseudo, 'LA' AS Source
FROM LTS001b_Build a
LEFT JOIN uniquenhs b ON a.Der_LA_Person_Unique_Identifier_Pseudo = b.Der_LA_Person_Unique_Identifier_Pseudo
WHERE a.Der_NHS_Number_Traced_Pseudo IS NULL
AND b.Der_LA_Person_Unique_Identifier_Pseudo IS NULL
;

-- Lines 264-272: #FINAL.
DROP TABLE IF EXISTS FINAL;
CREATE TEMP TABLE FINAL AS
SELECT DISTINCT Der_Unique_Record_ID, Der_NHS_Number_Traced_Pseudo AS ID, Source FROM uniquenhs
UNION
SELECT DISTINCT Der_Unique_Record_ID, Der_LA_Person_Unique_Identifier_Pseudo AS ID, Source FROM missingnhs
;

-- Lines 275-282: add [ID] (UPDATE ... LEFT JOIN #FINAL as a correlated subquery).
ALTER TABLE LTS001b_Build ADD COLUMN ID COLLATE SQLSERVER;
UPDATE LTS001b_Build SET ID =
  (SELECT b.ID FROM FINAL b WHERE b.Der_Unique_Record_ID = LTS001b_Build.Der_Unique_Record_ID);

-- Lines 284-289: rows without an [ID] go.
DELETE FROM LTS001b_Build WHERE ID IS NULL;

-- Lines 292-296: #LTS001b_Raw.
DROP TABLE IF EXISTS LTS001b_Raw;
CREATE TEMP TABLE LTS001b_Raw AS
SELECT *
FROM LTS001b_Build
;

-- Lines 302-316: invalid or unexpected Delivery_Mechanism becomes '' (UPDATE a ... FROM a LEFT JOIN REF:
-- a REF row matches at most once, so the join is an EXISTS). NULL becomes '' too.
UPDATE LTS001b_Raw SET Delivery_Mechanism =
(CASE WHEN EXISTS (SELECT 1 FROM REF_Service_Type_Delivery_Mech b
        WHERE trim(LTS001b_Raw.Service_Type) = trim(b.Service_Type) COLLATE SQLSERVER
        AND trim(LTS001b_Raw.Delivery_Mechanism) = trim(b.Delivery_Mechanism) COLLATE SQLSERVER)
      AND LTS001b_Raw.Service_Type IN ('Long Term Support: Community', 'Long Term Support: Prison') THEN LTS001b_Raw.Delivery_Mechanism
      ELSE ''
      END)
;

-- Lines 322-335: #LTS001b_T1a, with the REF table's Sort_Order and Hierarchy.
DROP TABLE IF EXISTS LTS001b_T1a;
CREATE TEMP TABLE LTS001b_T1a AS
SELECT a.*
, b.Sort_Order
, b.Hierarchy
FROM LTS001b_Raw a
LEFT JOIN REF_Service_Type_Delivery_Mech b ON trim(a.Service_Type) = trim(b.Service_Type) COLLATE SQLSERVER
AND trim(a.Delivery_Mechanism) = trim(b.Delivery_Mechanism) COLLATE SQLSERVER
WHERE a.Der_Age_Snapshot_Date BETWEEN 18 AND 64
;

-- Lines 360-366: #LTS001b_T1a_MinRank, the best setting of each person.
DROP TABLE IF EXISTS LTS001b_T1a_MinRank;
CREATE TEMP TABLE LTS001b_T1a_MinRank AS
SELECT LA_Code, ID, Min(Hierarchy) AS "RANK"
FROM LTS001b_T1a
GROUP BY LA_Code, ID
;

-- Lines 369-379: #LTS001b_T1a_PSR_Known, known Primary_Support_Reason preferred.
DROP TABLE IF EXISTS LTS001b_T1a_PSR_Known;
CREATE TEMP TABLE LTS001b_T1a_PSR_Known AS
SELECT a.LA_Code, b.ID, b."RANK", Max(a.Der_PSR_Known) AS MaxPSRKnown
FROM LTS001b_T1a a
LEFT JOIN LTS001b_T1a_MinRank b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b."RANK"
WHERE
b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, b."RANK"
;

-- Lines 382-391: #LTS001b_T1a_COMBINED, the latest start of those.
DROP TABLE IF EXISTS LTS001b_T1a_COMBINED;
CREATE TEMP TABLE LTS001b_T1a_COMBINED AS
SELECT a.LA_Code, b.ID, "RANK", MaxPSRKnown, max(Event_Start_Date) AS MaxDate
FROM LTS001b_T1a a
LEFT JOIN LTS001b_T1a_PSR_Known b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b."RANK" AND a.Der_PSR_Known = b.MaxPSRKnown
WHERE
b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, "RANK", MaxPSRKnown
;

-- Lines 395-408: #LTS001b_T1a_Final_Staging; Primary_Support_Reason outside #REF_PSR becomes 'Invalid/NULL'.
DROP TABLE IF EXISTS LTS001b_T1a_Final_Staging;
CREATE TEMP TABLE LTS001b_T1a_Final_Staging AS
SELECT a.LA_CODE, b.Service_Type, b.Delivery_Mechanism
, CASE WHEN c.Primary_Support_Reason IS NULL THEN 'Invalid/NULL' ELSE c.Primary_Support_Reason END AS Primary_Support_Reason
, a.ID
FROM LTS001b_T1a_COMBINED a
LEFT JOIN LTS001b_T1a b ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a."RANK" = b.Hierarchy AND a.MaxPSRKnown = b.Der_PSR_Known AND a.MaxDate = b.Event_Start_Date
LEFT JOIN REF_PSR c ON b.Primary_Support_Reason = c.Primary_Support_Reason
GROUP BY a.LA_CODE, b.Service_Type, b.Delivery_Mechanism
, CASE WHEN c.Primary_Support_Reason IS NULL THEN 'Invalid/NULL' ELSE c.Primary_Support_Reason END
, a.ID
;

-- Lines 412-420: duplicates left (conflicting Primary_Support_Reason).
DROP TABLE IF EXISTS T1a_PSR_Duplicates;
CREATE TEMP TABLE T1a_PSR_Duplicates AS
SELECT LA_CODE, Service_Type, Delivery_Mechanism, ID, count(ID) AS "COUNT"
FROM LTS001b_T1a_Final_Staging
GROUP BY LA_CODE, Service_Type, Delivery_Mechanism, ID
HAVING count(ID) > 1
;

-- Lines 424-436: #LTS001b_T1a_Final; a conflicting Primary_Support_Reason becomes 'Unknown'.
DROP TABLE IF EXISTS LTS001b_T1a_Final;
CREATE TEMP TABLE LTS001b_T1a_Final AS
SELECT DISTINCT
a.LA_CODE
, CASE WHEN b."COUNT" IS NOT NULL THEN 'Unknown' ELSE a.Primary_Support_Reason END AS Primary_Support_Reason
, a.Service_Type
, a.Delivery_Mechanism
, a.ID
FROM LTS001b_T1a_Final_Staging a
LEFT JOIN T1a_PSR_Duplicates b ON a.LA_code = b.LA_Code AND a.Service_Type = b.Service_Type AND a.Delivery_Mechanism = b.Delivery_Mechanism AND a.ID = b.ID
;

-- Lines 440-451: the published counts (ORDER BY extended for a stable output).
SELECT LA_CODE, Primary_Support_Reason, Service_Type, Delivery_Mechanism, count(DISTINCT ID)
FROM LTS001b_T1a_Final
GROUP BY LA_CODE, Primary_Support_Reason, Service_Type, Delivery_Mechanism
ORDER BY 1, 2, 3, 4;

SELECT LA_CODE, count(DISTINCT ID)
FROM LTS001b_T1a_Final
GROUP BY LA_CODE
ORDER BY 1;

-- Lines 457-470: #LTS001b_T1b, with the REF table's Sort_Order and Hierarchy.
DROP TABLE IF EXISTS LTS001b_T1b;
CREATE TEMP TABLE LTS001b_T1b AS
SELECT a.*
, b.Sort_Order
, b.Hierarchy
FROM LTS001b_Raw a
LEFT JOIN REF_Service_Type_Delivery_Mech b ON trim(a.Service_Type) = trim(b.Service_Type) COLLATE SQLSERVER
AND trim(a.Delivery_Mechanism) = trim(b.Delivery_Mechanism) COLLATE SQLSERVER
WHERE a.Der_Age_Snapshot_Date > 64
;

-- Lines 479-485: #LTS001b_T1b_MinRank, the best setting of each person.
DROP TABLE IF EXISTS LTS001b_T1b_MinRank;
CREATE TEMP TABLE LTS001b_T1b_MinRank AS
SELECT LA_Code, ID, Min(Hierarchy) AS "RANK"
FROM LTS001b_T1b
GROUP BY LA_Code, ID
;

-- Lines 488-498: #LTS001b_T1b_PSR_Known, known Primary_Support_Reason preferred.
DROP TABLE IF EXISTS LTS001b_T1b_PSR_Known;
CREATE TEMP TABLE LTS001b_T1b_PSR_Known AS
SELECT a.LA_Code, b.ID, b."RANK", Max(a.Der_PSR_Known) AS MaxPSRKnown
FROM LTS001b_T1b a
LEFT JOIN LTS001b_T1b_MinRank b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b."RANK"
WHERE
b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, b."RANK"
;

-- Lines 502-511: #LTS001b_T1b_COMBINED, the latest start of those.
DROP TABLE IF EXISTS LTS001b_T1b_COMBINED;
CREATE TEMP TABLE LTS001b_T1b_COMBINED AS
SELECT a.LA_Code, b.ID, "RANK", MaxPSRKnown, max(Event_Start_Date) AS MaxDate
FROM LTS001b_T1b a
LEFT JOIN LTS001b_T1b_PSR_Known b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b."RANK" AND a.Der_PSR_Known = b.MaxPSRKnown
WHERE
b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, "RANK", MaxPSRKnown
;

-- Lines 515-529: #LTS001b_T1b_Final_Staging; Primary_Support_Reason outside #REF_PSR becomes 'Invalid/NULL'.
DROP TABLE IF EXISTS LTS001b_T1b_Final_Staging;
CREATE TEMP TABLE LTS001b_T1b_Final_Staging AS
SELECT a.LA_CODE, b.Service_Type, b.Delivery_Mechanism
, CASE WHEN c.Primary_Support_Reason IS NULL THEN 'Invalid/NULL' ELSE c.Primary_Support_Reason END AS Primary_Support_Reason
, a.ID
FROM LTS001b_T1b_COMBINED a
LEFT JOIN LTS001b_T1b b ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a."RANK" = b.Hierarchy AND a.MaxPSRKnown = b.Der_PSR_Known AND a.MaxDate = b.Event_Start_Date
LEFT JOIN REF_PSR c ON b.Primary_Support_Reason = c.Primary_Support_Reason
GROUP BY a.LA_CODE, b.Service_Type, b.Delivery_Mechanism
, CASE WHEN c.Primary_Support_Reason IS NULL THEN 'Invalid/NULL' ELSE c.Primary_Support_Reason END
, a.ID
;

-- Lines 534-542: duplicates left (conflicting Primary_Support_Reason).
DROP TABLE IF EXISTS T1b_PSR_Duplicates;
CREATE TEMP TABLE T1b_PSR_Duplicates AS
SELECT LA_CODE, Service_Type, Delivery_Mechanism, ID, count(ID) AS "COUNT"
FROM LTS001b_T1b_Final_Staging
GROUP BY LA_CODE, Service_Type, Delivery_Mechanism, ID
HAVING count(ID) > 1
;

-- Lines 545-557: #LTS001b_T1b_Final; a conflicting Primary_Support_Reason becomes 'Unknown'.
DROP TABLE IF EXISTS LTS001b_T1b_Final;
CREATE TEMP TABLE LTS001b_T1b_Final AS
SELECT DISTINCT
a.LA_CODE
, CASE WHEN b."COUNT" IS NOT NULL THEN 'Unknown' ELSE a.Primary_Support_Reason END AS Primary_Support_Reason
, a.Service_Type
, a.Delivery_Mechanism
, a.ID
FROM LTS001b_T1b_Final_Staging a
LEFT JOIN T1b_PSR_Duplicates b ON a.LA_code = b.LA_Code AND a.Service_Type = b.Service_Type AND a.Delivery_Mechanism = b.Delivery_Mechanism AND a.ID = b.ID
;

-- Lines 560-578: the published counts (ORDER BY extended for a stable output).
SELECT LA_CODE, Primary_Support_Reason, Service_Type, Delivery_Mechanism, count(DISTINCT ID)
FROM LTS001b_T1b_Final
GROUP BY LA_CODE, Primary_Support_Reason, Service_Type, Delivery_Mechanism
ORDER BY 1, 2, 3, 4;

SELECT LA_CODE, count(DISTINCT ID)
FROM LTS001b_T1b_Final
GROUP BY LA_CODE
ORDER BY 1;

-- Lines 585-597: #LTS001b_T2, with the REF table's Sort_Order and Hierarchy.
DROP TABLE IF EXISTS LTS001b_T2;
CREATE TEMP TABLE LTS001b_T2 AS
SELECT a.*
, b.Sort_Order
, b.Hierarchy
FROM LTS001b_Raw a
LEFT JOIN REF_Service_Type_Delivery_Mech b ON trim(a.Service_Type) = trim(b.Service_Type) COLLATE SQLSERVER
AND trim(a.Delivery_Mechanism) = trim(b.Delivery_Mechanism) COLLATE SQLSERVER
WHERE 1 = 1 -- (all ages: T-SQL has no WHERE here)
;

-- Lines 606-612: #LTS001b_T2_MinRank, the best setting of each person.
DROP TABLE IF EXISTS LTS001b_T2_MinRank;
CREATE TEMP TABLE LTS001b_T2_MinRank AS
SELECT LA_Code, ID, Min(Hierarchy) AS "RANK"
FROM LTS001b_T2
GROUP BY LA_Code, ID
;

-- Lines 614-624: #LTS001b_T2_Carer_Known, known Has_Unpaid_Carer preferred.
DROP TABLE IF EXISTS LTS001b_T2_Carer_Known;
CREATE TEMP TABLE LTS001b_T2_Carer_Known AS
SELECT a.LA_Code, b.ID, b."RANK", Max(a.Der_Carer_Known) AS MaxCarerKnown
FROM LTS001b_T2 a
LEFT JOIN LTS001b_T2_MinRank b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b."RANK"
WHERE
b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, b."RANK"
;

-- Lines 627-636: #LTS001b_T2_COMBINED, the latest start of those.
DROP TABLE IF EXISTS LTS001b_T2_COMBINED;
CREATE TEMP TABLE LTS001b_T2_COMBINED AS
SELECT a.LA_Code, b.ID, "RANK", MaxCarerKnown, max(Event_Start_Date) AS MaxDate
FROM LTS001b_T2 a
LEFT JOIN LTS001b_T2_Carer_Known b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b."RANK" AND a.Der_Carer_Known = b.MaxCarerKnown
WHERE
b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, "RANK", MaxCarerKnown
;

-- Lines 640-652: #LTS001b_T2_Final_Staging; Has_Unpaid_Carer outside #REF_CARER becomes 'Invalid/NULL'.
DROP TABLE IF EXISTS LTS001b_T2_Final_Staging;
CREATE TEMP TABLE LTS001b_T2_Final_Staging AS
SELECT a.LA_CODE, b.Service_Type, b.Delivery_Mechanism
, CASE WHEN c.Has_Unpaid_Carer IS NULL THEN 'Invalid/NULL' ELSE c.Has_Unpaid_Carer END AS Has_Unpaid_Carer
, a.ID
FROM LTS001b_T2_COMBINED a
LEFT JOIN LTS001b_T2 b ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a."RANK" = b.Hierarchy AND a.MaxCarerKnown = b.Der_Carer_Known AND a.MaxDate = b.Event_Start_Date
LEFT JOIN REF_CARER c ON b.Has_Unpaid_Carer = c.Has_Unpaid_Carer
GROUP BY a.LA_CODE, b.Service_Type, b.Delivery_Mechanism
, CASE WHEN c.Has_Unpaid_Carer IS NULL THEN 'Invalid/NULL' ELSE c.Has_Unpaid_Carer END
, a.ID
;

-- Lines 657-665: duplicates left (conflicting Has_Unpaid_Carer).
DROP TABLE IF EXISTS T2_Carer_Duplicates;
CREATE TEMP TABLE T2_Carer_Duplicates AS
SELECT LA_CODE, Service_Type, Delivery_Mechanism, ID, count(ID) AS "COUNT"
FROM LTS001b_T2_Final_Staging
GROUP BY LA_CODE, Service_Type, Delivery_Mechanism, ID
HAVING count(ID) > 1
;

-- Lines 669-681: #LTS001b_T2_Final; a conflicting Has_Unpaid_Carer becomes 'Unknown'.
DROP TABLE IF EXISTS LTS001b_T2_Final;
CREATE TEMP TABLE LTS001b_T2_Final AS
SELECT DISTINCT
a.LA_CODE
, CASE WHEN b."COUNT" IS NOT NULL THEN 'Unknown' ELSE a.Has_Unpaid_Carer END AS Has_Unpaid_Carer
, a.Service_Type
, a.Delivery_Mechanism
, a.ID
FROM LTS001b_T2_Final_Staging a
LEFT JOIN T2_Carer_Duplicates b ON a.LA_code = b.LA_Code AND a.Service_Type = b.Service_Type AND a.Delivery_Mechanism = b.Delivery_Mechanism AND a.ID = b.ID
;

-- Lines 685-692: the published counts (ORDER BY extended for a stable output).
SELECT LA_CODE, Has_Unpaid_Carer, Service_Type, Delivery_Mechanism, count(DISTINCT ID)
FROM LTS001b_T2_Final
GROUP BY LA_CODE, Has_Unpaid_Carer, Service_Type, Delivery_Mechanism
ORDER BY 1, 2, 3, 4;

-- Lines 698-711: #LTS001b_T3a, with the REF table's Sort_Order and Hierarchy.
DROP TABLE IF EXISTS LTS001b_T3a;
CREATE TEMP TABLE LTS001b_T3a AS
SELECT a.*
, b.Sort_Order
, b.Hierarchy
FROM LTS001b_Raw a
LEFT JOIN REF_Service_Type_Delivery_Mech b ON trim(a.Service_Type) = trim(b.Service_Type) COLLATE SQLSERVER
AND trim(a.Delivery_Mechanism) = trim(b.Delivery_Mechanism) COLLATE SQLSERVER
WHERE a.Gender = 'Male'
;

-- Lines 717-723: #LTS001b_T3a_MinRank, the best setting of each person.
DROP TABLE IF EXISTS LTS001b_T3a_MinRank;
CREATE TEMP TABLE LTS001b_T3a_MinRank AS
SELECT LA_Code, ID, Min(Hierarchy) AS "RANK"
FROM LTS001b_T3a
GROUP BY LA_Code, ID
;

-- Lines 725-735: #LTS001b_T3a_Ethnicity_Known, known Ethnicity preferred.
DROP TABLE IF EXISTS LTS001b_T3a_Ethnicity_Known;
CREATE TEMP TABLE LTS001b_T3a_Ethnicity_Known AS
SELECT a.LA_Code, b.ID, b."RANK", Max(a.Der_Ethnicity_Known) AS MaxEthnicityKnown
FROM LTS001b_T3a a
LEFT JOIN LTS001b_T3a_MinRank b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b."RANK"
WHERE
b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, b."RANK"
;

-- Lines 738-747: #LTS001b_T3a_COMBINED, the latest start of those.
DROP TABLE IF EXISTS LTS001b_T3a_COMBINED;
CREATE TEMP TABLE LTS001b_T3a_COMBINED AS
SELECT a.LA_Code, b.ID, "RANK", MaxEthnicityKnown, max(Event_Start_Date) AS MaxDate
FROM LTS001b_T3a a
LEFT JOIN LTS001b_T3a_Ethnicity_Known b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b."RANK" AND a.Der_Ethnicity_Known = b.MaxEthnicityKnown
WHERE
b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, "RANK", MaxEthnicityKnown
;

-- Lines 751-763: #LTS001b_T3a_Final_Staging; Ethnicity outside #REF_Ethnicity becomes 'Invalid/NULL'.
DROP TABLE IF EXISTS LTS001b_T3a_Final_Staging;
CREATE TEMP TABLE LTS001b_T3a_Final_Staging AS
SELECT a.LA_CODE, b.Service_Type, b.Delivery_Mechanism
, CASE WHEN c.Ethnicity_Description IS NULL THEN 'Invalid/NULL' ELSE c.Ethnicity_Description END AS Ethnicity
, a.ID
FROM LTS001b_T3a_COMBINED a
LEFT JOIN LTS001b_T3a b ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a."RANK" = b.Hierarchy AND a.MaxEthnicityKnown = b.Der_Ethnicity_Known AND a.MaxDate = b.Event_Start_Date
LEFT JOIN REF_Ethnicity c ON b.Ethnicity = c.Ethnicity_Description
GROUP BY a.LA_CODE, b.Service_Type, b.Delivery_Mechanism
, CASE WHEN c.Ethnicity_Description IS NULL THEN 'Invalid/NULL' ELSE c.Ethnicity_Description END
, a.ID
;

-- Lines 766-774: duplicates left (conflicting Ethnicity).
DROP TABLE IF EXISTS T3a_Ethnicity_Duplicates;
CREATE TEMP TABLE T3a_Ethnicity_Duplicates AS
SELECT LA_CODE, Service_Type, Delivery_Mechanism, ID, count(ID) AS "COUNT"
FROM LTS001b_T3a_Final_Staging
GROUP BY LA_CODE, Service_Type, Delivery_Mechanism, ID
HAVING count(ID) > 1
;

-- Lines 777-789: #LTS001b_T3a_Final; a conflicting Ethnicity becomes 'No data - Undeclared or Not known'.
DROP TABLE IF EXISTS LTS001b_T3a_Final;
CREATE TEMP TABLE LTS001b_T3a_Final AS
SELECT DISTINCT
a.LA_CODE
, CASE WHEN b."COUNT" IS NOT NULL THEN 'No data - Undeclared or Not known' ELSE a.Ethnicity END AS Ethnicity
, a.Service_Type
, a.Delivery_Mechanism
, a.ID
FROM LTS001b_T3a_Final_Staging a
LEFT JOIN T3a_Ethnicity_Duplicates b ON a.LA_code = b.LA_Code AND a.Service_Type = b.Service_Type AND a.Delivery_Mechanism = b.Delivery_Mechanism AND a.ID = b.ID
;

-- Lines 792-799: the published counts (ORDER BY extended for a stable output).
SELECT LA_CODE, Ethnicity, Service_Type, Delivery_Mechanism, count(DISTINCT ID)
FROM LTS001b_T3a_Final
GROUP BY LA_CODE, Ethnicity, Service_Type, Delivery_Mechanism
ORDER BY 1, 2, 3, 4;

-- Lines 805-819: #LTS001b_T3b, with the REF table's Sort_Order and Hierarchy.
DROP TABLE IF EXISTS LTS001b_T3b;
CREATE TEMP TABLE LTS001b_T3b AS
SELECT a.*
, b.Sort_Order
, b.Hierarchy
FROM LTS001b_Raw a
LEFT JOIN REF_Service_Type_Delivery_Mech b ON trim(a.Service_Type) = trim(b.Service_Type) COLLATE SQLSERVER
AND trim(a.Delivery_Mechanism) = trim(b.Delivery_Mechanism) COLLATE SQLSERVER
WHERE a.Gender = 'Female'
;

-- Lines 825-831: #LTS001b_T3b_MinRank, the best setting of each person.
DROP TABLE IF EXISTS LTS001b_T3b_MinRank;
CREATE TEMP TABLE LTS001b_T3b_MinRank AS
SELECT LA_Code, ID, Min(Hierarchy) AS "RANK"
FROM LTS001b_T3b
GROUP BY LA_Code, ID
;

-- Lines 833-843: #LTS001b_T3b_Ethnicity_Known, known Ethnicity preferred.
DROP TABLE IF EXISTS LTS001b_T3b_Ethnicity_Known;
CREATE TEMP TABLE LTS001b_T3b_Ethnicity_Known AS
SELECT a.LA_Code, b.ID, b."RANK", Max(a.Der_Ethnicity_Known) AS MaxEthnicityKnown
FROM LTS001b_T3b a
LEFT JOIN LTS001b_T3b_MinRank b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b."RANK"
WHERE
b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, b."RANK"
;

-- Lines 846-855: #LTS001b_T3b_COMBINED, the latest start of those.
DROP TABLE IF EXISTS LTS001b_T3b_COMBINED;
CREATE TEMP TABLE LTS001b_T3b_COMBINED AS
SELECT a.LA_Code, b.ID, "RANK", MaxEthnicityKnown, max(Event_Start_Date) AS MaxDate
FROM LTS001b_T3b a
LEFT JOIN LTS001b_T3b_Ethnicity_Known b ON a.LA_CODE = b.LA_CODE AND a.ID = b.ID AND a.Hierarchy = b."RANK" AND a.Der_Ethnicity_Known = b.MaxEthnicityKnown
WHERE
b.ID IS NOT NULL
GROUP BY a.LA_Code, b.ID, "RANK", MaxEthnicityKnown
;

-- Lines 859-871: #LTS001b_T3b_Final_Staging; Ethnicity outside #REF_Ethnicity becomes 'Invalid/NULL'.
DROP TABLE IF EXISTS LTS001b_T3b_Final_Staging;
CREATE TEMP TABLE LTS001b_T3b_Final_Staging AS
SELECT a.LA_CODE, b.Service_Type, b.Delivery_Mechanism
, CASE WHEN c.Ethnicity_Description IS NULL THEN 'Invalid/NULL' ELSE c.Ethnicity_Description END AS Ethnicity
, a.ID
FROM LTS001b_T3b_COMBINED a
LEFT JOIN LTS001b_T3b b ON a.LA_Code = b.LA_CODE AND a.ID = b.ID AND a."RANK" = b.Hierarchy AND a.MaxEthnicityKnown = b.Der_Ethnicity_Known AND a.MaxDate = b.Event_Start_Date
LEFT JOIN REF_Ethnicity c ON b.Ethnicity = c.Ethnicity_Description
GROUP BY a.LA_CODE, b.Service_Type, b.Delivery_Mechanism
, CASE WHEN c.Ethnicity_Description IS NULL THEN 'Invalid/NULL' ELSE c.Ethnicity_Description END
, a.ID
;

-- Lines 875-883: duplicates left (conflicting Ethnicity).
DROP TABLE IF EXISTS T3b_Ethnicity_Duplicates;
CREATE TEMP TABLE T3b_Ethnicity_Duplicates AS
SELECT LA_CODE, Service_Type, Delivery_Mechanism, ID, count(ID) AS "COUNT"
FROM LTS001b_T3b_Final_Staging
GROUP BY LA_CODE, Service_Type, Delivery_Mechanism, ID
HAVING count(ID) > 1
;

-- Lines 886-898: #LTS001b_T3b_Final; a conflicting Ethnicity becomes 'No data - Undeclared or Not known'.
DROP TABLE IF EXISTS LTS001b_T3b_Final;
CREATE TEMP TABLE LTS001b_T3b_Final AS
SELECT DISTINCT
a.LA_CODE
, CASE WHEN b."COUNT" IS NOT NULL THEN 'No data - Undeclared or Not known' ELSE a.Ethnicity END AS Ethnicity
, a.Service_Type
, a.Delivery_Mechanism
, a.ID
FROM LTS001b_T3b_Final_Staging a
LEFT JOIN T3b_Ethnicity_Duplicates b ON a.LA_code = b.LA_Code AND a.Service_Type = b.Service_Type AND a.Delivery_Mechanism = b.Delivery_Mechanism AND a.ID = b.ID
;

-- Lines 901-908: the published counts (ORDER BY extended for a stable output).
SELECT LA_CODE, Ethnicity, Service_Type, Delivery_Mechanism, count(DISTINCT ID)
FROM LTS001b_T3b_Final
GROUP BY LA_CODE, Ethnicity, Service_Type, Delivery_Mechanism
ORDER BY 1, 2, 3, 4;

-- Lines 913-923: table 3c, other genders.
SELECT LA_CODE, count(DISTINCT ID)
FROM LTS001b_Raw
WHERE Gender IN ('Other', 'Unknown')
GROUP BY LA_CODE
ORDER BY LA_CODE;
