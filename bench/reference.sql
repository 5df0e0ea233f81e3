-- Hand-written DuckDB SQL of the default model's scoring (execrank/defaults/model.yaml, with
-- diminishing repeats, type caps, hiring matches, manual adjustments, buying roles, network
-- half-lives and standing, stale A and silent executives), the reference the product's
-- generated query is measured against. Totals, ranks and tiers only: no explanations.
-- as_of = 2026-11-30, known_at = 2026-12-02 (bench/rescore.py).
WITH
role AS (
  SELECT c.contact_id,
    CASE WHEN t.title IS NULL OR list_has_any(t.flags, ['former', 'assistant']) THEN 0
         WHEN t.seniority = 'c_level' AND t.function = 'it' THEN 10
         WHEN t.seniority = 'c_level' AND t.function = 'marketing' THEN 8
         WHEN t.seniority = 'vp' AND t.function = 'it' THEN 8
         ELSE CASE t.seniority WHEN 'board' THEN 8 WHEN 'c_level' THEN 10 WHEN 'vp' THEN 7
                               WHEN 'director' THEN 4 WHEN 'manager' THEN 2 ELSE 0 END
    END AS points
  FROM contacts c LEFT JOIN titles t ON t.title = c.title),
fit AS (
  SELECT c.contact_id,
    coalesce(co.revenue_usd >= 1e9, false)::INT + coalesce(co.employees >= 1000, false)::INT
    + coalesce(lower(trim(co.industry)) IN ('technology', 'financials', 'telecommunications',
        'health care', 'retailing', 'business services', '电子信息', '金融行业', '生物制药',
        '汽车制造', '电器行业', '传媒娱乐', '交通运输'), false)::INT
    + coalesce(lower(trim(co.country)) IN ('us', 'cn'), false)::INT AS met,
    co.company_id IS NOT NULL AS known
  FROM contacts c LEFT JOIN companies co ON co.company_id = c.company_id),
numbered AS (
  SELECT contact_id, event_type, occurred_at,
    row_number() OVER (PARTITION BY contact_id, event_type, asset
                       ORDER BY occurred_at DESC, event_id) AS k
  FROM events
  WHERE occurred_at <= TIMESTAMP '2026-11-30' AND ingested_at <= TIMESTAMP '2026-12-02'),
hits AS (
  SELECT contact_id, event_type, round(
    CASE event_type WHEN 'email_open' THEN 1 WHEN 'email_click' THEN 2 WHEN 'web_visit' THEN 1
      WHEN 'report_download' THEN 5 WHEN 'webinar_attended' THEN 6 WHEN 'deal_comment' THEN 8
      WHEN 'private_roundtable' THEN 8 WHEN 'reply_to_sales' THEN 10 ELSE 12 END
    * CASE WHEN event_type IN ('report_download', 'webinar_attended') THEN 1.0
           ELSE pow(0.5, k - 1) END
    * pow(2.0, -(epoch(TIMESTAMP '2026-11-30') - epoch(occurred_at)) / 86400.0 / 90.0), 6)
    ::DECIMAL(18, 6) AS points
  FROM numbered
  WHERE event_type IN ('email_open', 'email_click', 'web_visit', 'report_download',
                       'webinar_attended', 'private_roundtable', 'deal_comment',
                       'reply_to_sales', 'meeting')
    AND (k = 1 OR event_type NOT IN ('report_download', 'webinar_attended'))),
engagement AS (
  SELECT contact_id, sum(points) AS points
  FROM (SELECT contact_id, CASE event_type WHEN 'email_open' THEN least(sum(points), 5)
                                           WHEN 'email_click' THEN least(sum(points), 8)
                                           WHEN 'web_visit' THEN least(sum(points), 5)
                                           ELSE sum(points) END AS points
        FROM hits GROUP BY contact_id, event_type)
  GROUP BY contact_id),
open_deals AS (
  SELECT oc.contact_id, lower(trim(oc.role)) AS role, lower(trim(o.stage)) AS stage,
    NOT (coalesce(o.is_closed, false) AND coalesce(o.closed_at <= TIMESTAMP '2026-11-30', true))
      AS is_open
  FROM opportunity_contacts oc JOIN opportunities o USING (opportunity_id)
  WHERE oc.ingested_at <= TIMESTAMP '2026-12-02' AND o.ingested_at <= TIMESTAMP '2026-12-02'
    AND coalesce(o.created_at <= TIMESTAMP '2026-11-30', true)
    AND NOT (coalesce(o.is_closed, false) AND coalesce(o.closed_at <= TIMESTAMP '2026-11-30', true)
             AND NOT coalesce(o.is_won, false))),
buying AS (
  SELECT contact_id,
    max(CASE role WHEN 'economic buyer' THEN 6 WHEN 'decision maker' THEN 5
      WHEN 'executive sponsor' THEN 5 WHEN 'budget holder' THEN 5 WHEN 'technical buyer' THEN 3
      WHEN 'influencer' THEN 2 WHEN 'champion' THEN 2 WHEN 'evaluator' THEN 1
      WHEN 'business user' THEN 1 WHEN 'other' THEN 0 END) AS best,
    bool_or(role IN ('economic buyer', 'budget holder')) AS owns_budget
  FROM open_deals GROUP BY contact_id),
topic_hits AS (
  SELECT s.contact_id, s.company_id, s.occurred_at,
    CASE m.topic WHEN 'data_analytics' THEN 8 WHEN 'efficiency' THEN 5 WHEN 'hiring' THEN 4
      ELSE 10 END AS points
  FROM signals s JOIN signal_matches m USING (signal_id)
  WHERE s.occurred_at <= TIMESTAMP '2026-11-30' AND s.ingested_at <= TIMESTAMP '2026-12-02'),
intent AS (
  SELECT contact_id, sum(round(points * share
    * pow(2.0, -(epoch(TIMESTAMP '2026-11-30') - epoch(occurred_at)) / 86400.0 / 60.0), 6)
    ::DECIMAL(18, 6)) AS points
  FROM (SELECT contact_id, points, 1.0 AS share, occurred_at FROM topic_hits
        WHERE contact_id IS NOT NULL
        UNION ALL
        SELECT c.contact_id, h.points, 0.5, h.occurred_at FROM topic_hits h
        JOIN contacts c ON c.company_id = h.company_id WHERE h.contact_id IS NULL
        UNION ALL
        -- manual adjustments: intent points counted while in force, undecayed (share 1, no age)
        SELECT contact_id, points, 1.0, TIMESTAMP '2026-11-30' FROM adjustments
        WHERE dimension = 'intent' AND created_at <= TIMESTAMP '2026-11-30'
          AND (expires_at IS NULL OR TIMESTAMP '2026-11-30' < expires_at)
          AND ingested_at <= TIMESTAMP '2026-12-02')
  GROUP BY contact_id),
members AS (
  SELECT r.contact_id, lower(trim(r.referrer)) AS organization, r.occurred_at,
    coalesce(r.referrer_standing, CASE WHEN w.company_id IS NOT NULL THEN 'active_customer' END)
      AS standing
  FROM relationships r JOIN contacts c USING (contact_id)
  LEFT JOIN (SELECT DISTINCT company_id FROM opportunities
             WHERE coalesce(is_won, false) AND coalesce(closed_at <= TIMESTAMP '2026-11-30', true)
               AND ingested_at <= TIMESTAMP '2026-12-02' AND company_id IS NOT NULL) w
    ON w.company_id = c.company_id
  WHERE r.kind = 'membership' AND r.referrer IS NOT NULL
    AND r.occurred_at <= TIMESTAMP '2026-11-30' AND r.ingested_at <= TIMESTAMP '2026-12-02'),
shared AS (
  -- a member who is no customer's executive shares each organization once, with the customer
  -- member of the best standing, then the latest shared start
  SELECT p.contact_id, round(5 * f.factor
      * pow(2.0, -(epoch(TIMESTAMP '2026-11-30') - epoch(greatest(p.occurred_at, m.occurred_at)))
        / 86400.0 / 730.0), 6)::DECIMAL(18, 6) AS points,
    row_number() OVER (PARTITION BY p.contact_id, p.organization
      ORDER BY f.factor DESC, greatest(p.occurred_at, m.occurred_at) DESC, m.contact_id) AS pick
  FROM members p
  JOIN members m ON m.organization = p.organization AND m.contact_id <> p.contact_id
    AND m.standing IN ('active_customer', 'churned_customer')
  JOIN (VALUES ('active_customer', 1.0), ('churned_customer', 0.3)) f(standing, factor)
    ON f.standing = m.standing
  WHERE p.standing IS NULL OR p.standing NOT IN ('active_customer', 'churned_customer')),
network AS (
  SELECT contact_id, sum(points) AS points
  FROM (SELECT contact_id, points FROM shared WHERE pick = 1
        UNION ALL
        SELECT contact_id, round(
          CASE kind WHEN 'customer_referral' THEN 15 WHEN 'partner_referral' THEN 10
            WHEN 'customer_success_project' THEN 10 ELSE 5 END
          * CASE referrer_standing WHEN 'active_customer' THEN 1.0 WHEN 'partner' THEN 0.8
            WHEN 'prospect' THEN 0.5 WHEN 'churned_customer' THEN 0.3 ELSE 1.0 END
          * pow(2.0, -(epoch(TIMESTAMP '2026-11-30') - epoch(occurred_at)) / 86400.0
            / CASE WHEN kind IN ('customer_referral', 'partner_referral') THEN 365.0
                   ELSE 730.0 END), 6)::DECIMAL(18, 6)
        FROM relationships
        WHERE kind IN ('customer_referral', 'partner_referral', 'customer_success_project',
                       'shared_association')
          AND occurred_at <= TIMESTAMP '2026-11-30' AND ingested_at <= TIMESTAMP '2026-12-02')
  GROUP BY contact_id),
dims AS (
  SELECT r.contact_id,
    least(r.points + coalesce(b.best, 0) + CASE WHEN b.owns_budget THEN 2 ELSE 0 END, 18) AS role,
    CASE WHEN NOT f.known THEN 0 WHEN f.met = 4 THEN 10 WHEN f.met > 0 THEN 5 ELSE 0 END AS fit,
    least(coalesce(e.points, 0), 30) AS engagement, least(greatest(coalesce(i.points, 0), 0), 30) AS intent,
    least(coalesce(n.points, 0), 15) AS network
  FROM role r JOIN fit f USING (contact_id) LEFT JOIN engagement e USING (contact_id)
  LEFT JOIN intent i USING (contact_id) LEFT JOIN network n USING (contact_id)
  LEFT JOIN buying b USING (contact_id)),
totals AS (
  SELECT contact_id, CAST(role + fit + engagement + intent + network AS DOUBLE) AS total,
    CAST(engagement + intent + network AS DOUBLE) AS heat, CAST(role + fit AS DOUBLE) AS profile,
    role, fit, engagement
  FROM dims),
high_value AS (
  SELECT contact_id, max(occurred_at) AS last_at FROM events
  WHERE event_type IN ('meeting', 'reply_to_sales', 'private_roundtable', 'deal_comment')
    AND occurred_at <= TIMESTAMP '2026-11-30' AND ingested_at <= TIMESTAMP '2026-12-02'
  GROUP BY contact_id),
decisive AS (
  SELECT DISTINCT contact_id FROM events
  WHERE event_type IN ('meeting', 'reply_to_sales', 'deal_comment')
    AND occurred_at <= TIMESTAMP '2026-11-30' AND ingested_at <= TIMESTAMP '2026-12-02'
    AND occurred_at >= TIMESTAMP '2026-11-30' - INTERVAL 60 DAY
  UNION
  SELECT contact_id FROM open_deals
  WHERE is_open AND stage IN ('proposal/price quote', 'negotiation/review', 'proposal',
    'negotiation', 'contract sent', 'closing', 'verbal commit', 'decisionmakerboughtin',
    'contractsent')),
ruled AS (
  SELECT t.*, CASE WHEN heat >= 20 AND profile >= 14 THEN 'A'
                   WHEN (heat >= 8 AND profile >= 8) OR profile >= 18 THEN 'B'
                   WHEN role >= 7 THEN 'C' ELSE '-' END AS rule_tier,
    role >= 7 AND fit >= 5 AND engagement <= 15 AND d.contact_id IS NOT NULL AS silent,
    h.last_at IS NULL OR h.last_at < TIMESTAMP '2026-11-30' - INTERVAL 45 DAY AS quiet
  FROM totals t LEFT JOIN high_value h USING (contact_id) LEFT JOIN decisive d USING (contact_id)),
kept AS (
  SELECT *, CASE WHEN rule_tier = 'A' AND quiet THEN 'B' ELSE rule_tier END AS kept_tier
  FROM ruled)
SELECT contact_id, total,
  row_number() OVER (ORDER BY total DESC, heat DESC, contact_id) AS rank,
  CASE WHEN silent AND kept_tier IN ('C', '-') THEN 'B' ELSE kept_tier END AS tier
FROM kept
