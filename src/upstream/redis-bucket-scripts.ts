/**
 * The rate-budget arithmetic of rate-limit.ts, ported to Lua so that Redis applies each take, observe and
 * snapshot as one atomic step: no WATCH, no retries, one round trip, however many replicas contend. The
 * TypeScript functions stay the reference; test/upstream/bucket-store.test.ts runs the same operations through
 * both and expects the same answers and the same stored state. Change one, change the other.
 *
 * The state is stored as the same JSON document the in-memory store holds (a BucketState), so a budget written
 * by the Lua store reads back with JSON.parse. Numbers are written with 17 significant digits: cjson's encoder
 * keeps only 14, which would round fractional bucket tokens and make the two stores drift apart.
 *
 * KEYS[1]  the budget's key
 * ARGV[1]  now, epoch ms (the caller's clock, as the in-memory store takes it), or `server`: Redis's TIME
 * ARGV[2]  seconds an untouched budget is kept
 * ARGV[3]  the seed RateSpec, JSON
 * ARGV[4]  what to start from when the key is missing: '' the seed's full budget, '?' answer `missing` so the
 *          caller can supply a start state, or a BucketState as JSON
 * ARGV[5]  observe only: the RateSignal, JSON
 * ARGV[6]  observe only: the caller's other calls in flight
 */

const PRELUDE = `
local SAME_WINDOW_MS = 50
local WINDOW_EDGE_MS = 100

local function num(v)
  if v == 0 then return '0' end
  return string.format('%.17g', v)
end

local function encode_spec(spec)
  if spec.kind == 'window' then
    return '{"kind":"window","limit":' .. num(spec.limit) .. ',"windowMs":' .. num(spec.windowMs) .. '}'
  end
  return '{"kind":"bucket","capacity":' .. num(spec.capacity) .. ',"refillPerSecond":' .. num(spec.refillPerSecond) .. '}'
end

local function encode_state(s)
  return '{"spec":' .. encode_spec(s.spec)
    .. ',"tokens":' .. num(s.tokens)
    .. ',"refilledAt":' .. num(s.refilledAt)
    .. ',"windowEndsAt":' .. num(s.windowEndsAt)
    .. ',"blockedUntil":' .. num(s.blockedUntil)
    .. ',"cost":' .. num(s.cost)
    .. ',"learned":' .. (s.learned and 'true' or 'false')
    .. ',"carry":' .. num(s.carry) .. '}'
end

local function initial_state(spec, now)
  local full = spec.capacity
  local window_ends_at = now
  if spec.kind == 'window' then
    full = spec.limit
    window_ends_at = (math.floor(now / spec.windowMs) + 1) * spec.windowMs
  end
  return { spec = spec, tokens = full, refilledAt = now, windowEndsAt = window_ends_at, blockedUntil = 0, cost = 1, learned = false, carry = 0 }
end

local function refill(s, now)
  local spec = s.spec
  if spec.kind == 'bucket' then
    local elapsed = math.max(0, now - s.refilledAt)
    s.tokens = math.min(spec.capacity, s.tokens + (elapsed / 1000) * spec.refillPerSecond)
    s.refilledAt = now
    return
  end
  if now >= s.windowEndsAt then
    local missed = math.floor((now - s.windowEndsAt) / spec.windowMs) + 1
    s.windowEndsAt = s.windowEndsAt + missed * spec.windowMs
    local carry = 0
    if missed == 1 then carry = s.carry end
    s.tokens = math.max(0, spec.limit - carry)
    s.carry = 0
  end
end

local key = KEYS[1]
local now
if ARGV[1] == 'server' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
else
  now = tonumber(ARGV[1])
end
local ttl = tonumber(ARGV[2])
local state
local raw = redis.call('GET', key)
if raw then
  state = cjson.decode(raw)
elseif ARGV[4] == '?' then
  return 'missing'
elseif ARGV[4] ~= '' then
  state = cjson.decode(ARGV[4])
else
  state = initial_state(cjson.decode(ARGV[3]), now)
end
`;

const SAVE = `redis.call('SET', key, encode_state(state), 'EX', ttl)`;

/** Answers `ok`, or `wait:<ms>` (a string: Redis would truncate a Lua number to an integer). */
export const TAKE_SCRIPT = `${PRELUDE}
local function take(s)
  refill(s, now)
  if now < s.blockedUntil then return 'wait:' .. num(s.blockedUntil - now) end
  if s.tokens >= s.cost then
    s.tokens = s.tokens - s.cost
    if s.spec.kind == 'window' and s.windowEndsAt - now < WINDOW_EDGE_MS then s.carry = s.carry + s.cost end
    return 'ok'
  end
  local spec = s.spec
  if spec.kind == 'window' then return 'wait:' .. num(math.max(1, s.windowEndsAt - now)) end
  local rate = math.max(spec.refillPerSecond, 0.001)
  return 'wait:' .. num(math.max(1, math.ceil(((s.cost - s.tokens) / rate) * 1000)))
end
local answer = take(state)
${SAVE}
return answer
`;

/** Answers `ok`. */
export const OBSERVE_SCRIPT = `${PRELUDE}
local signal = cjson.decode(ARGV[5])
local others = tonumber(ARGV[6])

local function given(v)
  return v ~= nil and v ~= cjson.null
end

local function apply_window_remaining(s)
  if not given(signal.remaining) then return end
  if not given(signal.resetAt) then
    s.tokens = math.min(s.tokens, signal.remaining)
    return
  end
  if signal.resetAt <= now then return end
  if math.abs(signal.resetAt - s.windowEndsAt) > SAME_WINDOW_MS then
    s.windowEndsAt = signal.resetAt
    s.tokens = math.max(0, signal.remaining - others)
  else
    s.tokens = math.min(s.tokens, signal.remaining)
  end
  if signal.remaining <= 0 then s.blockedUntil = math.max(s.blockedUntil, signal.resetAt) end
end

refill(state, now)
state.learned = true
local spec = state.spec
if given(signal.cost) and signal.cost > 0 then state.cost = signal.cost end
if spec.kind == 'window' then
  if given(signal.limit) and signal.limit > 0 then state.spec = { kind = 'window', limit = signal.limit, windowMs = spec.windowMs } end
  apply_window_remaining(state)
else
  local capacity = spec.capacity
  if given(signal.limit) and signal.limit > 0 then capacity = signal.limit end
  local refill_per_second = spec.refillPerSecond
  if given(signal.refillPerSecond) and signal.refillPerSecond > 0 then refill_per_second = signal.refillPerSecond end
  state.spec = { kind = 'bucket', capacity = capacity, refillPerSecond = refill_per_second }
  state.tokens = math.min(state.tokens, capacity)
  if given(signal.remaining) then state.tokens = math.min(state.tokens, signal.remaining) end
end
if given(signal.retryAfterMs) and signal.retryAfterMs >= 0 then
  state.blockedUntil = math.max(state.blockedUntil, now + signal.retryAfterMs)
  state.tokens = 0
end
${SAVE}
return 'ok'
`;

/** Answers a BudgetSnapshot as JSON. */
export const SNAPSHOT_SCRIPT = `${PRELUDE}
refill(state, now)
local limit = state.spec.capacity
if state.spec.kind == 'window' then limit = state.spec.limit end
${SAVE}
return '{"remaining":' .. num(math.floor(state.tokens)) .. ',"limit":' .. num(limit) .. ',"blockedUntil":' .. num(state.blockedUntil)
  .. ',"learned":' .. (state.learned and 'true' or 'false') .. '}'
`;
