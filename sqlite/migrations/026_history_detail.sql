-- A score-history row's cause was English text only ("priority low→high
-- (R 30: last contact …)"), shown as such on a Chinese profile. The detail
-- keeps the same cause in parts (first analysis, each change, the score
-- lines with their message keys) as JSON, so every reader gets it in their
-- language; cause stays for the API and for rows written before.
ALTER TABLE score_history ADD COLUMN detail TEXT;
