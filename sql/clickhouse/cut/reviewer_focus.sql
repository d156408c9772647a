-- A reviewer focus (docs/metrics/agreement.md): the cut groups by reviewer or filters on one,
-- so rows that belong to several raters (a case, a pair) count once for each rater in focus.
-- loopwatch: params
-- loopwatch: joined by AND
(has({group_by:Array(String)}, 'reviewer') OR {reviewer:Nullable(String)} IS NOT NULL)
