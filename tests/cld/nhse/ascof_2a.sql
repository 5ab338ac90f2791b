-- SQLite port of NHS England's "ASCOF 2A/ASCOF 2A replication code.txt" (commit d6ff762).
-- Its lines 51-812 are STS002a's lines 27-788 line for line (the two files differ only in their
-- opening comment and their final queries), so the harness runs sts001.sql, then sts002a.sql,
-- then this file, which ports what ASCOF 2A adds: lines 822-859.
-- NB the counting lists below have en dashes; STS002a's record type 4 writes
-- 'No services provided - other' with a hyphen, which therefore counts in neither.

-- Lines 827-842: #ASCOF_2A_DENOMINATOR.
DROP TABLE IF EXISTS ASCOF_2A_DENOMINATOR;
CREATE TEMP TABLE ASCOF_2A_DENOMINATOR AS
SELECT LA_CODE, count(*) AS ASCOF_2A_DENOMINATOR
FROM STS002a
WHERE FINAL_OUTCOME_MAPPED IN
(
'Long Term Support (any setting)'
,'Ongoing Low Level Support'
,'Short Term Support (other)'
,'No Services Provided – Universal Services / signposted to other services'
,'No services provided – other'
)
GROUP BY LA_CODE
;

-- Lines 845-859: #ASCOF_2A_NUMERATOR.
DROP TABLE IF EXISTS ASCOF_2A_NUMERATOR;
CREATE TEMP TABLE ASCOF_2A_NUMERATOR AS
SELECT LA_CODE, count(*) AS ASCOF_2A_NUMERATOR
FROM STS002a
WHERE FINAL_OUTCOME_MAPPED IN
(
'Ongoing Low Level Support'
,'Short Term Support (other)'
,'No Services Provided – Universal Services / signposted to other services'
,'No services provided – other'
)
GROUP BY LA_CODE
;

-- The script leaves the two tables for the reader; the harness reads them.
SELECT d.LA_CODE, coalesce(n.ASCOF_2A_NUMERATOR, 0) AS ASCOF_2A_NUMERATOR, d.ASCOF_2A_DENOMINATOR
FROM ASCOF_2A_DENOMINATOR d
LEFT JOIN ASCOF_2A_NUMERATOR n ON n.LA_CODE = d.LA_CODE
ORDER BY 1;
