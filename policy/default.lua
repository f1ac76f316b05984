-- policy/default.lua — genuine's shipped automation policy, the platform's own
-- rules on top of the signals and the score (guide: docs/policy.md).
-- Shipped as is it keeps every default decision except one safety rule (3).

-- Edit this file, then reload it without a restart (SIGHUP to `genuine serve`).
-- A file that does not load is refused and the previous policy keeps running.

-- ------------------------------------------------------------------ settings
-- The tables below are the platform's to fill; empty, they change nothing.

-- (1) A brand that wants every listing of a product line held for review:
--     brand id -> lower-case words; a listing of that brand whose title
--     contains one of them is held (reason BRAND_RULE_HELD_LINE).
local held_lines = {
    -- rolex = { "daytona", "submariner" },   -- e.g. the lines most copied this season
}

-- (2) Stricter categories: category -> the score from which a listing is held
--     (the configuration's policy.review_at applies everywhere else).
local strict_categories = {
    -- watches = 0.35,                        -- hold watches from score 0.35, not 0.50
}

-- (4) Sellers the platform vouches for (e.g. a brand's authorised resellers it
--     has checked itself): genuine never blocks their listings on its own, it
--     holds them for a human instead (reason TRUSTED_SELLER_NOT_BLOCKED).
local trusted_sellers = {
    -- ["S1042"] = true,
}

-- (5) Vendor verification gates: brands (by id) and categories that only
--     verified sellers may list. An unverified seller's listing of them is
--     blocked (reason SELLER_NOT_VERIFIED_FOR_GATED); once the platform has
--     verified the seller (a seller_verification event), it is decided as usual.
local gated_brands = {
    -- ["rolex"] = true,
}
local gated_categories = {
    -- medicines = true,
}

-- (3) A seller linked to a banned account (same device, phone, payment
--     account, ...) is held for review at least: a banned actor's new account
--     must not go live unseen. Active by default; set to false to turn it off.
local hold_banned_clusters = true

-- ------------------------------------------------------------------ helpers
-- Actions in order of severity, to raise a decision but never lower it.
local severity = { allow = 0, review = 1, block = 2 }

-- string.find with plain = true: the words are text, not Lua patterns.
local find, lower = string.find, string.lower

-- ------------------------------------------------------------------ decide
-- Called once per listing decision with the table `l` (see docs/policy.md).
-- Returns nil to keep genuine's decision, or {action = ..., reasons = {...}}.
function decide(l)
    local action = l.action          -- the default decision: allow, review or block
    local reasons = nil              -- extra reasons; created only when a rule fires

    -- (1) Brand product lines held: l.brand is the resolved brand id or nil.
    local lines = held_lines[l.brand]
    if lines and l.title then
        local title = lower(l.title)
        for _, word in ipairs(lines) do
            if find(title, word, 1, true) then
                if severity[action] < severity.review then action = "review" end
                reasons = reasons or {}
                reasons[#reasons + 1] = { code = "BRAND_RULE_HELD_LINE",
                    detail = "the brand asks for every '" .. word .. "' listing to be checked" }
                break                -- one line is enough to hold it
            end
        end
    end

    -- (2) Stricter category: hold from a lower score than elsewhere.
    local review_from = strict_categories[l.category]
    if review_from and l.score >= review_from and severity[action] < severity.review then
        action = "review"
        reasons = reasons or {}
        reasons[#reasons + 1] = { code = "CATEGORY_STRICT",
            detail = string.format("category %s is held from score %.2f", l.category, review_from) }
    end

    -- (3) Linked to a banned account: at least review (block stays block).
    if hold_banned_clusters and l.cluster.banned > 0 and severity[action] < severity.review then
        action = "review"
        reasons = reasons or {}
        reasons[#reasons + 1] = { code = "CLUSTER_HAS_BANNED",
            detail = string.format("the seller is linked to %d banned account(s)", l.cluster.banned) }
    end

    -- (4) A trusted seller is never blocked automatically: a human decides.
    if action == "block" and trusted_sellers[l.seller] then
        action = "review"
        reasons = reasons or {}
        reasons[#reasons + 1] = { code = "TRUSTED_SELLER_NOT_BLOCKED",
            detail = "the platform vouches for this seller; held for a human instead of blocked" }
    end

    -- (5) Gated brand or category, seller not verified: blocked, whatever the score.
    if not l.seller_verified and (gated_brands[l.brand] or gated_categories[l.category]) then
        action = "block"
        reasons = reasons or {}
        local what = gated_brands[l.brand] and ("brand " .. l.brand) or ("category " .. l.category)
        reasons[#reasons + 1] = { code = "SELLER_NOT_VERIFIED_FOR_GATED",
            detail = "only verified sellers may list " .. what .. "; this seller's verification is not complete" }
    end

    -- Nothing fired: keep genuine's decision (the common, fast path).
    if not reasons then return nil end
    return { action = action, reasons = reasons }
end
