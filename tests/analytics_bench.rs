//! Benchmark, not a timed test: aggregate 1,000,000 stored usage rows into
//! the Overview page's figures, one API key's analytics and the comparison
//! of keys, and the same aggregations written in plain JavaScript over the
//! same rows, held as plain objects as IndexedDB hands them back, in the
//! same page. Prints the median of five runs of each and their ratio
//! (target: keymeter under 100 ms and faster than JavaScript). Asserts
//! only that both found the same tokens and money, so a slow machine
//! cannot make it fail.
//!
//! `scripts/bench.sh` runs it with the browser settings it needs.
#![cfg(target_arch = "wasm32")]

use std::collections::{BTreeSet, HashMap};

use js_sys::{Array, Float64Array, Function, Object, Reflect, Uint32Array};
use keymeter::domain::analytics::rows::Row;
use keymeter::domain::analytics::{
    analytics, bundle::analytics_of, bundle::scoped_rows, Analytics, Days,
    Filter, Inputs, Options,
};
use keymeter::domain::demo::{demo_org, stored_usage, DEMO_DAYS};
use keymeter::domain::keys::{ApiKey, Project};
use keymeter::domain::overview::{overview_page, OverviewPage};
use keymeter::domain::price::{built_in_table, PriceTable, Tier, Unit};
use keymeter::domain::range::RangeChoice;
use keymeter::domain::summary::KindLine;
use keymeter::domain::time::{Date, DAY};
use keymeter::domain::usage::{BucketWidth, UsageRecord};
use keymeter::domain::zone::Zone;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ROWS: usize = 1_000_000;
/// Organizations the copies of the demo are spread over.
const ORGS: usize = 4;
/// Runs of each aggregation; the median is printed.
const RUNS: usize = 5;
/// Rows handed to JavaScript per batch, so the copy stays small.
const BATCH: usize = 100_000;
/// Asia/Kolkata: a half-hour offset, so local days are not UTC days and
/// the views add up hourly rows.
const OFFSET: i32 = 5 * 3_600 + 1_800;

/// The newest UTC day of the stored usage.
fn last_day() -> Date {
    Date::new(2026, 5, 10)
}

/// Late in the evening of `last_day`, UTC: early morning in Kolkata.
fn now() -> i64 {
    last_day().to_unix() + DAY - 1_800
}

/// What the page holds after syncing a large account.
struct Stored {
    records: Vec<UsageRecord>,
    keys: Vec<ApiKey>,
    projects: Vec<Project>,
}

/// The demo organization as the page stores it (daily rows for 90 days,
/// hourly rows for the newest 31), copied with API keys of their own
/// until there are `ROWS` rows: a few organizations with over a hundred
/// keys each, a dozen models and every kind of usage.
fn stored(now: i64) -> Stored {
    let orgs: Vec<_> = (0..ORGS)
        .map(|i| demo_org(&format!("org-{i}"), last_day(), DEMO_DAYS))
        .collect();
    let usage: Vec<_> = orgs.iter().map(|org| stored_usage(org, now)).collect();
    let mut keys = Vec::new();
    let mut picked: Vec<(usize, &UsageRecord)> = Vec::with_capacity(ROWS);
    'copies: for copy in 0.. {
        let org = &orgs[copy % ORGS];
        keys.extend(org.keys.iter().map(|key| ApiKey {
            id: renamed(&key.id, copy),
            name: format!("{} {copy}", key.name),
            ..key.clone()
        }));
        for row in &usage[copy % ORGS] {
            if picked.len() == ROWS {
                break 'copies;
            }
            picked.push((copy, row));
        }
    }

    // In the order storage gives them back, and reading them back makes
    // them: by natural key, the rows of a bucket one after the other.
    picked.sort_unstable_by(|a, b| storage_order(a).cmp(&storage_order(b)));
    let records = picked
        .iter()
        .map(|&(copy, row)| UsageRecord {
            api_key_id: row.api_key_id.map(|k| renamed(&k, copy).into()),
            ..row.clone()
        })
        .collect();
    Stored {
        records,
        keys,
        projects: orgs.iter().flat_map(|o| o.projects.clone()).collect(),
    }
}

/// The id of `id` in copy `copy` of the demo.
fn renamed(id: &str, copy: usize) -> String {
    format!("{id}{copy:03}")
}

/// What the natural key of `row` in copy `copy` orders by, field by
/// field; its key's copy number follows the key as in `renamed`.
#[allow(clippy::type_complexity)]
fn storage_order<'a>(
    &(copy, r): &(usize, &'a UsageRecord),
) -> (
    (&'a str, &'static str, &'static str, i64),
    (Option<&'a str>, Option<&'a str>, Option<(&'a str, usize)>),
    (Option<&'a str>, Option<bool>, Option<&'a str>),
    (Option<&'a str>, Option<&'a str>),
) {
    (
        (
            &r.connection_id,
            r.kind.path(),
            r.width.as_str(),
            r.start_time,
        ),
        (
            r.project_id.as_deref(),
            r.user_id.as_deref(),
            r.api_key_id.as_deref().map(|k| (k, copy)),
        ),
        (r.model.as_deref(), r.batch, r.service_tier.as_deref()),
        (r.size.as_deref(), r.source.as_deref()),
    )
}

/// `performance.now()`: `Date.now()` counts whole milliseconds only.
fn now_ms() -> f64 {
    let performance = Reflect::get(&js_sys::global(), &"performance".into())
        .expect("the page has performance");
    let now: Function = Reflect::get(&performance, &"now".into())
        .expect("performance.now")
        .into();
    now.call0(&performance)
        .ok()
        .and_then(|ms| ms.as_f64())
        .unwrap_or(f64::NAN)
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The median time of `RUNS` runs of `run`, and what the last one gave.
fn timed<T>(mut run: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::new();
    let mut result = None;
    for _ in 0..RUNS {
        let started = now_ms();
        result = Some(run());
        times.push(now_ms() - started);
    }
    (median(times), result.expect("at least one run"))
}

/// A field of a plain object JavaScript returned, as a number.
fn number(object: &JsValue, name: &str) -> f64 {
    Reflect::get(object, &name.into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN)
}

/// The median time of `RUNS` calls of `function`, by the clock it reads
/// itself (`ms`, and `scopeMs` for picking and pricing rows), and what
/// the last call gave.
fn timed_js(function: &Function, args: &Array) -> (f64, f64, JsValue) {
    let mut times = Vec::new();
    let mut scope = Vec::new();
    let mut result = JsValue::UNDEFINED;
    for _ in 0..RUNS {
        result = function
            .apply(&JsValue::NULL, args)
            .expect("the plain JavaScript runs");
        times.push(number(&result, "ms"));
        scope.push(number(&result, "scopeMs"));
    }
    (median(times), median(scope), result)
}

fn set(object: &Object, name: &str, value: impl Into<JsValue>) {
    Reflect::set(object, &name.into(), &value.into())
        .expect("a plain object takes any property");
}

/// Strings of the rows, each handed to JavaScript once.
#[derive(Default)]
struct Strings<'a> {
    ids: HashMap<&'a str, u32>,
    table: Array,
}

impl<'a> Strings<'a> {
    /// The number of `text` in the table; `u32::MAX` for none.
    fn id(&mut self, text: Option<&'a str>) -> u32 {
        let Some(text) = text else {
            return u32::MAX;
        };
        let next = self.ids.len() as u32;
        *self.ids.entry(text).or_insert_with(|| {
            self.table.push(&JsValue::from_str(text));
            next
        })
    }
}

/// The rows as an `Array` of plain JavaScript objects, one field per
/// field of the record, made in batches of columns.
fn js_rows(records: &[UsageRecord], to_objects: &Function) -> Array {
    let rows = Array::new();
    let mut strings = Strings::default();
    for batch in records.chunks(BATCH) {
        let mut ids = Vec::with_capacity(batch.len() * 9);
        let mut numbers = Vec::with_capacity(batch.len() * 14);
        for r in batch {
            ids.extend([
                strings.id(Some(&r.connection_id)),
                strings.id(r.api_key_id.as_deref()),
                strings.id(r.project_id.as_deref()),
                strings.id(r.user_id.as_deref()),
                strings.id(r.model.as_deref()),
                strings.id(Some(r.kind.path())),
                strings.id(Some(r.width.as_str())),
                strings.id(r.service_tier.as_deref()),
                strings.id(r.size.as_deref()),
            ]);
            let c = r.counts.unpack();
            let batch = r.batch.map_or(-1.0, |b| f64::from(u8::from(b)));
            numbers.extend([r.start_time as f64, batch]);
            numbers.extend(
                [
                    c.requests,
                    c.calls,
                    c.input,
                    c.cached_input,
                    c.output,
                    c.input_audio,
                    c.output_audio,
                    c.images,
                    c.characters,
                    c.seconds,
                    c.usage_bytes,
                    c.sessions,
                ]
                .map(|n| n as f64),
            );
        }
        let args = Array::of4(
            &strings.table,
            &Uint32Array::from(&ids[..]),
            &Float64Array::from(&numbers[..]),
            &rows,
        );
        to_objects
            .apply(&JsValue::NULL, &args)
            .expect("the rows convert");
    }
    rows
}

/// The units JavaScript prices, in the order of its rate arrays.
const UNITS: [Unit; 7] = [
    Unit::Input,
    Unit::CachedInput,
    Unit::Output,
    Unit::AudioInput,
    Unit::AudioOutput,
    Unit::Character,
    Unit::Second,
];

/// The tiers JavaScript prices, in the order of its rate arrays.
const TIERS: [Tier; 3] = [Tier::Standard, Tier::Batch, Tier::Flex];

/// A rate as JavaScript reads it: picodollars a unit, NaN for none.
fn js_rate(rate: Option<keymeter::domain::price::Rate>) -> JsValue {
    JsValue::from_f64(rate.map_or(f64::NAN, |r| r.0 as f64))
}

/// The price of each model of `records` as a `Map` from the model to
/// `{ rates: [standard, batch, flex], images: Map(size -> [per tier]) }`,
/// each tier an array of `UNITS` rates.
fn js_prices(table: &PriceTable, records: &[UsageRecord]) -> js_sys::Map {
    let mut sizes: HashMap<&str, BTreeSet<Option<&str>>> = HashMap::new();
    for r in records {
        if let Some(model) = r.model.as_deref() {
            sizes.entry(model).or_default().insert(r.size.as_deref());
        }
    }
    let prices = js_sys::Map::new();
    for (model, sizes) in sizes {
        let Some(found) = table.resolve(model, last_day()) else {
            continue;
        };
        let price = found.price();
        let rates: Array = TIERS
            .iter()
            .map(|tier| -> JsValue {
                UNITS
                    .iter()
                    .map(|unit| js_rate(tier.rate(price, *unit, None)))
                    .collect::<Array>()
                    .into()
            })
            .collect();
        let images = js_sys::Map::new();
        for size in sizes {
            let per_tier: Array = TIERS
                .iter()
                .map(|tier| js_rate(tier.rate(price, Unit::Image, size)))
                .collect();
            let key = size.map_or(JsValue::NULL, JsValue::from_str);
            images.set(&key, &per_tier);
        }
        let entry = Object::new();
        set(&entry, "rates", rates);
        set(&entry, "images", images);
        prices.set(&JsValue::from_str(model), &entry);
    }
    prices
}

/// The tracked keys as `{ connection, id, name, project }`.
fn js_keys(keys: &[ApiKey], projects: &[Project]) -> Array {
    fn project_name<'a>(key: &'a ApiKey, projects: &'a [Project]) -> &'a str {
        projects
            .iter()
            .find(|p| {
                p.connection_id == key.connection_id && p.id == key.project_id
            })
            .map_or(key.project_id.as_str(), |p| p.name.as_str())
    }
    keys.iter()
        .filter(|k| k.notes.tracked)
        .map(|key| -> JsValue {
            let object = Object::new();
            set(&object, "connection", key.connection_id.as_str());
            set(&object, "id", key.id.as_str());
            set(&object, "name", key.display_name());
            set(&object, "project", project_name(key, projects));
            object.into()
        })
        .collect()
}

/// What the Overview page computes: the keys table, the daily chart and
/// the usage of each kind (over UTC days, as billed costs beside it).
fn overview_of(
    inputs: &Inputs,
    zone: &Zone,
    days: Days,
    now: i64,
) -> (OverviewPage, Vec<KindLine>) {
    let page = overview_page(inputs, zone, days, now);
    let kinds = page.kinds.clone();
    (page, kinds)
}

/// The local day numbers JavaScript's analytics need, as a plain object.
fn js_params(key: Option<&str>, days: Days, today: Date, now: i64) -> Object {
    let day = |date: Date| (date.to_unix() / DAY) as f64;
    let month_first = today.first_of_month();
    let params = Object::new();
    set(&params, "key", key.map_or(JsValue::NULL, JsValue::from_str));
    set(&params, "offset", OFFSET);
    set(&params, "first", day(days.first));
    set(&params, "count", days.len() as f64);
    set(&params, "today", day(today));
    set(&params, "now", now as f64);
    set(&params, "monthFirst", day(month_first));
    set(
        &params,
        "monthLast",
        day(month_first.next_month().add_days(-1)),
    );
    let options = Options::default();
    set(&params, "top", options.top as f64);
    set(&params, "stacked", options.stacked_keys as f64);
    params
}

/// Checks that JavaScript found what keymeter found.
fn assert_same(what: &str, ours: &Analytics, plain: &JsValue) {
    let total = ours.trend.total();
    assert!(total.tokens > 0, "{what}: usage in the range");
    assert_eq!(number(plain, "tokens"), total.tokens as f64, "{what}");
    let hours: u64 = ours.pattern.hours.iter().map(|h| h.tally.tokens).sum();
    assert_eq!(number(plain, "patternTokens"), hours as f64, "{what}");
    let today = ours.today_trend.total().tokens as f64;
    assert_eq!(number(plain, "todayTokens"), today, "{what}");
    assert_eq!(number(plain, "lines"), ours.keys.len() as f64, "{what}");
    assert_eq!(number(plain, "activeKeys"), ours.team.active_keys as f64);
    assert_close(what, number(plain, "cost"), total.cost.0 as f64);
    let spent = ours.forecast.spent.cost.0 as f64;
    assert_close(what, number(plain, "monthSpent"), spent);
}

/// Picodollars summed as integers and as floating point agree closely.
fn assert_close(what: &str, plain: f64, ours: f64) {
    let off = (plain - ours).abs() / ours.max(1.0);
    assert!(off < 1e-9, "{what}: JavaScript {plain}, keymeter {ours}");
}

fn report(what: &str, ours: f64, plain: f64) {
    console_log!(
        "analytics {what}: wasm {ours:.1} ms, js {plain:.1} ms, ratio {:.2} \
         (target: under 100 ms and below 1.0)",
        ours / plain
    );
}

#[wasm_bindgen_test]
fn aggregate_1000000_usage_rows() {
    let now = now();
    let stored = stored(now);
    let zone = Zone::fixed("Asia/Kolkata", OFFSET);
    let span = RangeChoice::Days(30).resolve(&zone, now);
    let days = Days::new(span.first, span.last);
    let today = zone.date(now);
    let inputs = Inputs {
        records: &stored.records,
        keys: &stored.keys,
        projects: &stored.projects,
        people: &[],
        prices: built_in_table(),
    };
    let options = Options::default();
    let key = "key_demoApiServer001000";
    let one_key = Filter {
        key: Some(key.into()),
        ..Filter::default()
    };
    let all = Filter::default();

    // The same rows, prices and keys for JavaScript, made once.
    let plain: JsValue = Function::new_no_args(PLAIN_JS)
        .call0(&JsValue::NULL)
        .expect("the plain JavaScript loads");
    let function = |name: &str| -> Function {
        Reflect::get(&plain, &name.into())
            .expect("a function of the plain JavaScript")
            .into()
    };
    let rows = js_rows(&stored.records, &function("toObjects"));
    let prices = js_prices(built_in_table(), &stored.records);
    let keys = js_keys(&stored.keys, &stored.projects);
    let hourly = stored
        .records
        .iter()
        .filter(|r| r.width == BucketWidth::Hour)
        .count();
    console_log!(
        "analytics of {} rows ({hourly} hourly), {} keys in {ORGS} \
         organizations, {} to {} in {}",
        rows.length(),
        keys.length(),
        span.first,
        span.last,
        zone.name()
    );

    // The Overview page.
    let (ours, (page, kinds)) =
        timed(|| overview_of(&inputs, &zone, days, now));
    let (table, chart) = (page.table, page.trend);
    let params = js_params(None, days, today, now);
    let args = Array::of4(&rows, &prices, &keys, &params);
    let (js, _, result) = timed_js(&function("overview"), &args);
    let tokens = table.total.counts.total_tokens();
    assert!(tokens > 0 && !kinds.is_empty());
    assert_eq!(chart.total().tokens, tokens);
    assert_eq!(number(&result, "tokens"), tokens as f64);
    assert_eq!(number(&result, "lines"), table.rows.len() as f64);
    assert_eq!(number(&result, "kinds"), kinds.len() as f64);
    let cost = table.total.cost.0 as f64;
    assert_close("overview", number(&result, "cost"), cost);
    assert_close("chart", number(&result, "chartCost"), cost);
    report("overview (keys table, daily chart, kinds)", ours, js);

    // One key's analytics, and the comparison of all keys; each also
    // split into picking and pricing the rows, and adding them up.
    let js_analytics = function("analytics");
    for (what, filter) in [("one key", &one_key), ("comparison", &all)] {
        let (ours, result) =
            timed(|| analytics(&inputs, filter, &zone, days, now, &options));
        let params = js_params(filter.key.as_deref(), days, today, now);
        let args = Array::of4(&rows, &prices, &keys, &params);
        let (js, js_scope, plain) = timed_js(&js_analytics, &args);
        assert_same(what, &result, &plain);
        report(&format!("{what} (all views)"), ours, js);

        let (pricing, scoped) = timed(|| scoped_rows(&inputs, filter));
        let (adding, _) = timed(|| {
            let rows: &[Row] = &scoped;
            analytics_of(rows, &inputs, filter, &zone, days, now, &options)
        });
        report(&format!("{what}, pricing (scoped_rows)"), pricing, js_scope);
        report(
            &format!("{what}, adding up (analytics_of)"),
            adding,
            js - js_scope,
        );
    }
}

/// The plain JavaScript: a function returning `toObjects`, which turns
/// columns into plain row objects, and the aggregations, each timing
/// itself. They read rows the way a hand-written dashboard would: one
/// pass over the scope with `Map`s, prices looked up by model.
const PLAIN_JS: &str = r#"
const DAY = 86400, HOUR = 3600, NONE = 0xffffffff;
const KIND_LABELS = {
  completions: 'Completions', embeddings: 'Embeddings',
  moderations: 'Moderations', images: 'Images', audio_speeches: 'Speech',
  audio_transcriptions: 'Transcription', vector_stores: 'Vector storage',
  code_interpreter_sessions: 'Code interpreter',
  file_search_calls: 'File search', web_search_calls: 'Web search',
};

// The rows as a page reads them from IndexedDB: copied by structured
// clone, so that no two rows share a string, as no two stored rows do.
function toObjects(strings, ids, nums, rows) {
  const text = (k) => (k === NONE ? null : strings[k]);
  const n = ids.length / 9, batch = [];
  for (let i = 0; i < n; i++) {
    const s = i * 9, f = i * 14;
    batch.push({
      connection: text(ids[s]), key: text(ids[s + 1]),
      project: text(ids[s + 2]), user: text(ids[s + 3]),
      model: text(ids[s + 4]), kind: text(ids[s + 5]),
      width: text(ids[s + 6]), tier: text(ids[s + 7]),
      size: text(ids[s + 8]), start: nums[f],
      batch: nums[f + 1] < 0 ? null : nums[f + 1] === 1,
      requests: nums[f + 2], calls: nums[f + 3], input: nums[f + 4],
      cached: nums[f + 5], output: nums[f + 6], inAudio: nums[f + 7],
      outAudio: nums[f + 8], images: nums[f + 9], characters: nums[f + 10],
      seconds: nums[f + 11], usageBytes: nums[f + 12], sessions: nums[f + 13],
    });
  }
  for (const row of structuredClone(batch)) rows.push(row);
}

// Prices: picodollars a unit; NaN marks a missing price, and any NaN
// part leaves the whole row unpriced.
const STANDARD = 0, BATCH = 1, FLEX = 2;
function tierOf(r) {
  const t = r.tier;
  let tier = t === null || t === '' || t === 'default' || t === 'auto'
    || t === 'standard' ? STANDARD
    : t === 'flex' ? FLEX : t === 'batch' ? BATCH : -1;
  // Priority and unknown tiers have no price here.
  if (r.batch === true) tier = tier < 0 ? -1 : BATCH;
  return tier;
}
const part = (rate, quantity) => (quantity > 0 ? rate * quantity : 0);
function costOf(prices, r) {
  if (r.model === null) return NaN;
  const price = prices.get(r.model);
  const tier = tierOf(r);
  if (price === undefined || tier < 0) return NaN;
  const rates = price.rates[tier];
  switch (r.kind) {
    case 'completions': case 'embeddings': case 'moderations': {
      const cached = Math.min(r.cached, r.input);
      const audioIn = Math.min(r.inAudio, r.input - cached);
      const audioOut = Math.min(r.outAudio, r.output);
      return part(rates[0], r.input - cached - audioIn)
        + part(rates[1], cached) + part(rates[2], r.output - audioOut)
        + part(rates[3], audioIn) + part(rates[4], audioOut);
    }
    case 'images': {
      const sized = price.images.get(r.size);
      return part(sized === undefined ? NaN : sized[tier], r.images);
    }
    case 'audio_speeches': return part(rates[5], r.characters);
    case 'audio_transcriptions': return part(rates[6], r.seconds);
    default: return NaN;
  }
}

const tally = () => ({
  tokens: 0, requests: 0, cost: 0, unpricedTokens: 0, pricedRows: 0,
  unpricedRows: 0,
});
function add(t, tokens, requests, cost) {
  t.tokens += tokens;
  t.requests += requests;
  if (cost === cost) { t.cost += cost; t.pricedRows++; }
  else { t.unpricedTokens += tokens; t.unpricedRows++; }
}
function merge(t, o) {
  t.tokens += o.tokens; t.requests += o.requests; t.cost += o.cost;
  t.unpricedTokens += o.unpricedTokens; t.pricedRows += o.pricedRows;
  t.unpricedRows += o.unpricedRows;
}
const isEmpty = (t) => t.pricedRows === 0 && t.unpricedRows === 0;
const bySpend = (a, b) => b.cost - a.cost || b.tokens - a.tokens;
const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
// A value of a two-level map (connection, then id), made on first use.
function entry(map, connection, id, make) {
  let inner = map.get(connection);
  if (inner === undefined) { inner = new Map(); map.set(connection, inner); }
  let value = inner.get(id);
  if (value === undefined) { value = make(); inner.set(id, value); }
  return value;
}
function* values(map) {
  for (const [connection, inner] of map) {
    for (const [id, value] of inner) yield [connection, id, value];
  }
}

const counts = () => ({
  requests: 0, calls: 0, input: 0, cached: 0, output: 0, inAudio: 0,
  outAudio: 0, images: 0, characters: 0, seconds: 0, usageBytes: 0,
  sessions: 0,
});
function addCounts(c, r) {
  c.requests += r.requests; c.calls += r.calls; c.input += r.input;
  c.cached += r.cached; c.output += r.output; c.inAudio += r.inAudio;
  c.outAudio += r.outAudio; c.images += r.images;
  c.characters += r.characters; c.seconds += r.seconds;
  c.usageBytes += r.usageBytes; c.sessions += r.sessions;
}
const totals = () => ({ counts: counts(), cost: 0, unpricedTokens: 0 });
function addTotals(t, o) {
  addCounts(t.counts, o.counts);
  t.cost += o.cost;
  t.unpricedTokens += o.unpricedTokens;
}

// Which width a view adds up: hourly rows on local days when they hold
// all of [from, to), else daily rows on UTC days. `firstHour` is the
// earliest hourly start of the scope, `dailyFirst` that of the daily rows
// overlapping the span, `hourlyIn` whether an hourly row starts in it.
function hourlyView(offset, firstHour, dailyFirst, hourlyIn) {
  if (offset === 0) return hourlyIn && dailyFirst === Infinity;
  const hourlyFrom = firstHour === Infinity ? null
    : Math.floor(firstHour / DAY) * DAY;
  return !(dailyFirst !== Infinity
    && (hourlyFrom === null || dailyFirst < hourlyFrom));
}

// The Overview page: per-key totals and the daily chart over the rows
// the analytics count on the local days p.first .. p.first + p.count - 1,
// and each kind's usage on the same dates as UTC days.
function overview(rows, prices, keys, p) {
  const started = performance.now();
  const { offset, first, count } = p;
  const from = first * DAY - offset, to = (first + count) * DAY - offset;
  let firstHour = Infinity, dailyFirst = Infinity, hourlyIn = false;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i], start = r.start;
    if (r.width === '1h') {
      if (start < firstHour) firstHour = start;
      if (from <= start && start < to) hourlyIn = true;
    } else if (r.width === '1d' && start < to && start + DAY > from
      && start < dailyFirst) {
      dailyFirst = start;
    }
  }
  const hourly = hourlyView(offset, firstHour, dailyFirst, hourlyIn);
  const width = hourly ? '1h' : '1d', shift = hourly ? offset : 0;
  const utcFrom = first * DAY, utcTo = (first + count) * DAY;

  const points = Array.from({ length: count }, tally);
  const byKey = new Map(), kinds = new Map();
  let unattributed = null;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i], start = r.start;
    if (r.width === '1d' && start >= utcFrom && start < utcTo) {
      let kind = kinds.get(r.kind);
      if (kind === undefined) {
        kind = { counts: counts(), newest: start, bytes: 0 };
        kinds.set(r.kind, kind);
      }
      addCounts(kind.counts, r);
      if (start > kind.newest) { kind.newest = start; kind.bytes = 0; }
      if (start === kind.newest) kind.bytes += r.usageBytes;
    }
    if (r.width !== width) continue;
    const day = Math.floor((start + shift) / DAY) - first;
    if (day < 0 || day >= count) continue;

    const cost = costOf(prices, r), tokens = r.input + r.output;
    add(points[day], tokens, r.requests, cost);
    let sums;
    if (r.key === null) sums = unattributed ??= totals();
    else {
      sums = entry(byKey, r.connection, r.key, () => {
        const t = totals();
        t.project = r.project;
        return t;
      });
    }
    addCounts(sums.counts, r);
    if (cost === cost) sums.cost += cost; else sums.unpricedTokens += tokens;
  }

  const lines = [];
  for (const key of keys) {
    const inner = byKey.get(key.connection);
    const sums = inner === undefined ? undefined : inner.get(key.id);
    if (sums !== undefined) inner.delete(key.id);
    lines.push({ name: key.name, id: key.id, project: key.project,
      totals: sums ?? totals() });
  }
  for (const [, id, sums] of values(byKey)) {
    lines.push({ name: id, id, project: sums.project ?? '', totals: sums });
  }
  const tokensOf = (l) => l.totals.counts.input + l.totals.counts.output;
  lines.sort((a, b) => b.totals.cost - a.totals.cost
    || tokensOf(b) - tokensOf(a) || byText(a.name, b.name)
    || byText(a.id, b.id));
  const total = totals();
  for (const line of lines) addTotals(total, line.totals);
  if (unattributed !== null) addTotals(total, unattributed);
  return {
    ms: performance.now() - started, lines: lines.length,
    tokens: total.counts.input + total.counts.output, cost: total.cost,
    chartCost: points.reduce((sum, t) => sum + t.cost, 0), kinds: kinds.size,
  };
}

// The analytics of one key (p.key) or of all keys (p.key null) over the
// local days p.first .. p.first + p.count - 1 in a zone p.offset seconds
// east of UTC, at p.now: daily trend, today, hourly pattern, models,
// burn rates, month forecast, key comparison, top consumers, stacked
// keys and team summary. Like keymeter, a view adds up hourly rows when
// they hold all of its days, and daily rows on UTC days otherwise.
function analytics(rows, prices, keys, p) {
  const started = performance.now();
  const { key: wanted, offset, first, count, today, now } = p;
  const last = first + count - 1;
  const patternLast = today >= first ? Math.min(last, today) : last;
  const span = (a, b) => ({
    from: a * DAY - offset, to: (b + 1) * DAY - offset,
  });
  const spans = [span(first, last), span(today, today),
    span(p.monthFirst, p.monthLast), span(first, patternLast)];

  // Pick and price the scope's rows once; see what each width holds.
  const scoped = [], costs = [];
  let firstHour = Infinity;
  const dailyFirst = [Infinity, Infinity, Infinity, Infinity];
  const hourlyIn = [false, false, false, false];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (wanted !== null
      && (r.key === null ? wanted !== 'unattributed' : r.key !== wanted)) {
      continue;
    }
    scoped.push(r);
    costs.push(costOf(prices, r));
    const start = r.start;
    if (r.width === '1h') {
      if (start < firstHour) firstHour = start;
      for (let s = 0; s < 4; s++) {
        if (spans[s].from <= start && start < spans[s].to) hourlyIn[s] = true;
      }
    } else if (r.width === '1d') {
      for (let s = 0; s < 4; s++) {
        if (start < spans[s].to && start + DAY > spans[s].from
          && start < dailyFirst[s]) dailyFirst[s] = start;
      }
    }
  }
  const scopeMs = performance.now() - started;

  const hourlyFrom = firstHour === Infinity ? null
    : Math.floor(firstHour / DAY) * DAY;
  const beyond = (s) => dailyFirst[s] !== Infinity
    && (hourlyFrom === null || dailyFirst[s] < hourlyFrom);
  const view = (s, a, n) => {
    const hourly = hourlyView(offset, firstHour, dailyFirst[s], hourlyIn[s]);
    return { width: hourly ? '1h' : '1d', shift: hourly ? offset : 0,
      first: a, count: n };
  };
  const place = (v, start) => {
    const d = Math.floor((start + v.shift) / DAY) - v.first;
    return d >= 0 && d < v.count ? d : -1;
  };
  const range = view(0, first, count), todays = view(1, today, 1);
  const month = view(2, p.monthFirst, p.monthLast - p.monthFirst + 1);

  // The pattern's days: from the first whole local day of hourly rows.
  let patternFirst = null;
  if (hourlyFrom !== null) {
    if (!beyond(3)) patternFirst = first;
    else {
      let d = Math.floor((hourlyFrom + offset) / DAY);
      if (d * DAY - offset < hourlyFrom) d++;
      if (d <= patternLast) patternFirst = Math.max(d, first);
    }
  }
  const patternFrom = patternFirst === null ? Infinity
    : patternFirst * DAY - offset;
  const patternTo = (patternLast + 1) * DAY - offset;

  const monthToday = place(month, now);
  const recentIndex = Math.max(
    (monthToday < 0 ? month.count - 1 : monthToday) + 1 - 7, 0);
  const windowStart = (w) => {
    const s = now - w;
    return s - (((s % HOUR) + HOUR) % HOUR);
  };
  const lastHourFrom = windowStart(HOUR), lastDayFrom = windowStart(DAY);

  const trend = Array.from({ length: count }, tally);
  const todayTally = tally(), burnHour = tally(), burnDay = tally();
  const hours = Array.from({ length: 24 }, tally);
  const spent = tally();
  let recent = 0;
  const models = new Map(), kindsWithoutModel = new Map();
  const users = new Map(), projects = new Map(), byKey = new Map();
  const noUser = tally(), noProject = tally();
  const keySums = (project) => ({
    range: tally(), lastDay: tally(), days: null, fine: Infinity,
    daily: Infinity, project, active: false, listed: false,
  });
  const consumer = () => ({ tally: tally(), active: false });
  let unattributed = null;
  const scope = keySums(null);

  // Add every row of the scope up once, into every view it counts for.
  for (let i = 0; i < scoped.length; i++) {
    const r = scoped[i], cost = costs[i], start = r.start, width = r.width;
    const tokens = r.input + r.output, requests = r.requests;
    const sums = r.key === null ? (unattributed ??= keySums(r.project))
      : entry(byKey, r.connection, r.key, () => keySums(r.project));
    if (width === '1d') {
      if (start < sums.daily) sums.daily = start;
      if (start < scope.daily) scope.daily = start;
    } else {
      if (start < sums.fine) sums.fine = start;
      if (start < scope.fine) scope.fine = start;
    }
    if (width === '1h' && start < now && start >= lastDayFrom) {
      add(sums.lastDay, tokens, requests, cost);
      add(burnDay, tokens, requests, cost);
      if (start >= lastHourFrom) add(burnHour, tokens, requests, cost);
    }

    const day = width === range.width ? place(range, start) : -1;
    if (day >= 0) {
      add(trend[day], tokens, requests, cost);
      add(sums.range, tokens, requests, cost);
      if (sums.days === null) sums.days = Array.from({ length: count }, tally);
      add(sums.days[day], tokens, requests, cost);
      const used = tokens > 0 || requests > 0;
      if (used && r.key !== null) sums.active = true;
      const model = r.model !== null ? models.get(r.model)
        : kindsWithoutModel.get(r.kind);
      let line = model;
      if (line === undefined) {
        line = tally();
        if (r.model !== null) models.set(r.model, line);
        else kindsWithoutModel.set(r.kind, line);
      }
      add(line, tokens, requests, cost);
      const user = r.user === null ? null
        : entry(users, r.connection, r.user, consumer);
      add(user === null ? noUser : user.tally, tokens, requests, cost);
      if (used && user !== null) user.active = true;
      const project = r.project === null ? null
        : entry(projects, r.connection, r.project, consumer);
      add(project === null ? noProject : project.tally, tokens, requests,
        cost);
      if (used && project !== null) project.active = true;
    }
    if (width === todays.width && place(todays, start) === 0) {
      add(todayTally, tokens, requests, cost);
    }
    if (width === '1h' && start >= patternFrom && start < patternTo) {
      const local = (((start + offset) % DAY) + DAY) % DAY;
      add(hours[Math.floor(local / HOUR)], tokens, requests, cost);
    }
    if (width === month.width) {
      const d = place(month, start);
      if (d >= 0) {
        add(spent, tokens, requests, cost);
        if (d >= recentIndex && cost === cost) recent += cost;
      }
    }
  }

  // Burn rates over the time each scope was seen in the window.
  const firstSeen = (s) => {
    if (s.fine !== Infinity) {
      return s.daily < Math.floor(s.fine / DAY) * DAY ? s.daily : s.fine;
    }
    return s.daily === Infinity ? null : s.daily;
  };
  const burn = (t, seen, w) => {
    const start = windowStart(w);
    const since = seen === null ? start : Math.max(seen, start);
    const minutes = Math.max(now - since, 60) / 60;
    return { tokensPerMinute: t.tokens / minutes,
      costPerHour: t.cost * 60 / minutes };
  };

  // The comparison: listed keys of the scope, with or without usage,
  // then keys the listing lacks, then unattributed usage.
  const lines = [];
  const line = (name, project, id, sums) => ({
    name, project, id, tally: sums === undefined ? tally() : sums.range,
    burn: burn(sums === undefined ? tally() : sums.lastDay,
      sums === undefined ? null : firstSeen(sums), DAY),
  });
  for (const key of keys) {
    if (wanted !== null && key.id !== wanted) continue;
    const inner = byKey.get(key.connection);
    const sums = inner === undefined ? undefined : inner.get(key.id);
    if (sums !== undefined) sums.listed = true;
    lines.push(line(key.name, key.project, key.id, sums));
  }
  for (const [, id, sums] of values(byKey)) {
    if (!sums.listed && !(isEmpty(sums.range) && isEmpty(sums.lastDay))) {
      lines.push(line(id, sums.project ?? '', id, sums));
    }
  }
  if (unattributed !== null && !isEmpty(unattributed.range)) {
    lines.push(line('Unattributed', '', '', unattributed));
  }
  const allCost = lines.reduce((sum, l) => sum + l.tally.cost, 0);
  for (const l of lines) l.share = allCost > 0 ? l.tally.cost / allCost : 0;
  lines.sort((a, b) => bySpend(a.tally, b.tally) || byText(a.name, b.name)
    || byText(a.project, b.project) || byText(a.id, b.id));

  // Top consumers and the stacked keys.
  const ranked = (entries) => entries
    .sort((a, b) => bySpend(a.tally, b.tally) || byText(a.label, b.label));
  const keyEntries = [];
  for (const [, id, sums] of values(byKey)) {
    if (!isEmpty(sums.range)) {
      keyEntries.push({ label: id, tally: sums.range, sums });
    }
  }
  if (unattributed !== null && !isEmpty(unattributed.range)) {
    keyEntries.push({ label: 'Unattributed', tally: unattributed.range,
      sums: unattributed });
  }
  const consumers = (map, none) => {
    const list = [];
    for (const [, id, c] of values(map)) {
      list.push({ label: id, tally: c.tally });
    }
    if (!isEmpty(none)) list.push({ label: 'Unattributed', tally: none });
    return ranked(list).slice(0, p.top);
  };
  ranked(keyEntries);
  const modelLines = [];
  for (const [label, t] of models) modelLines.push({ label, tally: t });
  for (const [kind, t] of kindsWithoutModel) {
    modelLines.push({ label: KIND_LABELS[kind], tally: t, kind });
  }
  ranked(modelLines);
  const allTokens = modelLines.reduce((sum, m) => sum + m.tally.tokens, 0);
  for (const m of modelLines) {
    m.share = allTokens > 0 ? m.tally.tokens / allTokens : 0;
  }
  const top = {
    keys: keyEntries.slice(0, p.top), users: consumers(users, noUser),
    projects: consumers(projects, noProject),
    models: modelLines.slice(0, p.top),
  };
  const layers = keyEntries.slice(0, p.stacked).map((e) => e.sums.days);
  if (keyEntries.length > p.stacked) {
    const other = Array.from({ length: count }, tally);
    for (const e of keyEntries.slice(p.stacked)) {
      for (let d = 0; d < count; d++) merge(other[d], e.sums.days[d]);
    }
    layers.push(other);
  }

  // The team summary and the month forecast.
  const total = tally();
  for (const t of trend) merge(total, t);
  let activeKeys = 0, activeUsers = 0, activeProjects = 0;
  for (const [, , sums] of values(byKey)) if (sums.active) activeKeys++;
  for (const [, , c] of values(users)) if (c.active) activeUsers++;
  for (const [, , c] of values(projects)) if (c.active) activeProjects++;
  let busiest = null;
  for (let d = 0; d < count; d++) {
    const t = trend[d];
    if (!isEmpty(t) && (busiest === null || t.tokens > busiest.tokens
      || (t.tokens === busiest.tokens && t.requests >= busiest.requests))) {
      busiest = t;
    }
  }
  const mostUsed = modelLines.filter((m) => m.kind === undefined
    && m.tally.tokens > 0)
    .reduce((a, m) => (a === null || m.tally.tokens >= a.tally.tokens
      ? m : a), null);
  const periodStart = month.first * DAY - month.shift;
  const periodEnd = (month.first + month.count) * DAY - month.shift;
  const length = periodEnd - periodStart;
  const elapsed = Math.min(Math.max(now - periodStart, 0), length);
  const since = (month.first + recentIndex) * DAY - month.shift;
  const observed = Math.max(now - Math.max(since, periodStart), 60);
  const forecast = elapsed === 0 || elapsed === length
    ? { linear: spent.cost, recent: spent.cost }
    : { linear: spent.cost * length / Math.max(elapsed, 60),
        recent: spent.cost + recent * (periodEnd - now) / observed };

  const seen = firstSeen(scope);
  return {
    ms: performance.now() - started, scopeMs,
    tokens: total.tokens, cost: total.cost,
    todayTokens: todayTally.tokens,
    patternTokens: hours.reduce((sum, h) => sum + h.tokens, 0),
    lines: lines.length, activeKeys, activeUsers, activeProjects,
    monthSpent: spent.cost, forecast,
    burnHour: burn(burnHour, seen, HOUR), burnDay: burn(burnDay, seen, DAY),
    top, layers: layers.length, busiest, mostUsed,
  };
}

return { toObjects, overview, analytics };
"#;
