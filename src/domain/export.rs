//! Tables as files: every download is built as a `Table` of typed cells,
//! then written as CSV (for spreadsheets) or JSON (for scripts) from the
//! same cells, so the two never disagree.
//!
//! In CSV, a text cell a spreadsheet would run as a formula gets a
//! leading `'` (names are chosen by whoever made the key); numbers are
//! written as numbers and never altered. JSON keeps text as it is.

use serde_json::{Map, Number, Value};

use super::csv_export::{safe_text, CsvError};
use super::money::Usd;
use super::name::Name;
use super::price::PriceTable;
use super::sort;
use super::time::iso_utc;
use super::usage::UsageRecord;
use super::zone::Zone;

/// One cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Count(u64),
    /// Money, written with six decimals.
    Money(Usd),
    /// A signed decimal already written out (`-1.500000`): a number, so
    /// never neutralized like text. JSON keeps it as a string, exact.
    Decimal(String),
    /// Nothing known (an unpriced cost): empty in CSV, `null` in JSON.
    Empty,
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<u64> for Cell {
    fn from(count: u64) -> Self {
        Cell::Count(count)
    }
}

impl From<Usd> for Cell {
    fn from(money: Usd) -> Self {
        Cell::Money(money)
    }
}

impl From<Option<Usd>> for Cell {
    fn from(money: Option<Usd>) -> Self {
        money.map_or(Cell::Empty, Cell::Money)
    }
}

/// A header and rows of cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// Column names; some come from users (a chart's series names).
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Whether a CSV file starts with the UTF-8 byte-order mark, which Excel
/// needs to read non-Latin names correctly and other programs do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bom {
    With,
    Without,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Table::with_header(header.iter().map(|h| (*h).to_owned()).collect())
    }

    /// A table whose column names are built at run time.
    pub fn with_header(header: Vec<String>) -> Self {
        Table {
            header,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.header.len());
        self.rows.push(row);
    }

    /// RFC 4180 with CRLF line ends.
    pub fn to_csv(&self, bom: Bom) -> Result<String, CsvError> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        // Names can come from users, so they are neutralized like text.
        out.write_record(self.header.iter().map(|name| safe_text(name)))?;
        for row in &self.rows {
            out.write_record(row.iter().map(|cell| match cell {
                Cell::Text(text) => safe_text(text),
                Cell::Count(n) => n.to_string(),
                Cell::Money(usd) => usd.to_fixed(6),
                Cell::Decimal(number) => number.clone(),
                Cell::Empty => String::new(),
            }))?;
        }
        let bytes = out
            .into_inner()
            .map_err(|e| CsvError::Write(e.into_error().into()))?;
        let text = String::from_utf8(bytes).map_err(|_| CsvError::Encoding)?;
        Ok(match bom {
            Bom::With => format!("\u{feff}{text}"),
            Bom::Without => text,
        })
    }

    /// An array of objects keyed by the header. Money is a string with
    /// six decimals, so no JSON reader turns it into a rounded float.
    pub fn to_json(&self) -> String {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|row| {
                let object: Map<String, Value> = self
                    .header
                    .iter()
                    .zip(row)
                    .map(|(name, cell)| {
                        let value = match cell {
                            Cell::Text(text) => Value::String(text.clone()),
                            Cell::Count(n) => Value::Number(Number::from(*n)),
                            Cell::Money(usd) => Value::String(usd.to_fixed(6)),
                            Cell::Decimal(n) => Value::String(n.clone()),
                            Cell::Empty => Value::Null,
                        };
                        (name.clone(), value)
                    })
                    .collect();
                Value::Object(object)
            })
            .collect();
        serde_json::to_string_pretty(&rows).expect("JSON values serialize")
    }
}

/// Usage `rows`, every field, oldest first; times in UTC ISO 8601, and
/// the start again in the display `zone`. Estimated cost at `prices`.
pub fn usage_table(
    prices: &PriceTable,
    rows: &[&UsageRecord],
    zone: &Zone,
) -> Table {
    let mut table = Table::new(&[
        "start_time_utc",
        "end_time_utc",
        "start_time_local",
        "time_zone",
        "kind",
        "bucket",
        "project_id",
        "user_id",
        "api_key_id",
        "model",
        "batch",
        "service_tier",
        "requests",
        "input_tokens",
        "cached_input_tokens",
        "output_tokens",
        "input_audio_tokens",
        "output_audio_tokens",
        "images",
        "characters",
        "seconds",
        "usage_bytes",
        "sessions",
        "calls",
        "estimated_cost_usd",
    ]);
    let mut rows = rows.to_vec();
    sort::by_cached_key(&mut rows, |r| (r.start_time, r.natural_key()));
    let text =
        |value: &Option<Name>| Cell::from(value.map_or("", Name::as_str));
    for r in rows {
        let c = r.counts.unpack();
        let batch = match r.batch {
            Some(true) => "true",
            Some(false) => "false",
            None => "",
        };
        table.push(vec![
            iso_utc(r.start_time).into(),
            iso_utc(r.end_time()).into(),
            zone.iso_local(r.start_time).into(),
            zone.name().into(),
            r.kind.path().into(),
            r.width.as_str().into(),
            text(&r.project_id),
            text(&r.user_id),
            text(&r.api_key_id),
            text(&r.model),
            batch.into(),
            text(&r.service_tier),
            c.requests.into(),
            c.input.into(),
            c.cached_input.into(),
            c.output.into(),
            c.input_audio.into(),
            c.output_audio.into(),
            c.images.into(),
            c.characters.into(),
            c.seconds.into(),
            c.usage_bytes.into(),
            c.sessions.into(),
            c.calls.into(),
            prices.estimate(r).into(),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cost::parse_usd;

    fn hostile() -> Table {
        let mut table = Table::new(&["name", "tokens", "cost"]);
        for name in [
            "=HYPERLINK(\"http://example.invalid\",\"x\")",
            "+1 555",
            "-rm",
            "@SUM(A1)",
            "\tstarts with a tab",
            "生产环境",
            "Producción",
        ] {
            table.push(vec![name.into(), 7.into(), parse_usd("0.50").into()]);
        }
        table.push(vec!["unpriced".into(), 1.into(), None.into()]);
        table
    }

    #[test]
    fn formula_cells_are_neutralized_and_numbers_stay_numbers() {
        let csv = hostile().to_csv(Bom::Without).expect("CSV");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let rows: Vec<csv::StringRecord> =
            reader.records().map(|r| r.expect("a row")).collect();
        for row in &rows[..5] {
            assert!(row[0].starts_with('\''), "{:?}", &row[0]);
            assert_eq!(&row[1], "7");
            assert_eq!(&row[2], "0.500000");
        }
        assert_eq!(&rows[5][0], "生产环境", "a round trip keeps the name");
        assert_eq!(&rows[6][0], "Producción");
        assert_eq!(&rows[7][2], "", "unpriced is empty, never 0");
        assert!(csv.ends_with("\r\n") && !csv.starts_with('\u{feff}'));
    }

    #[test]
    fn usage_rows_of_the_range_are_listed_oldest_first_with_utc_and_local_times(
    ) {
        use crate::domain::demo::demo_org;
        use crate::domain::time::{Date, DAY};
        let org = demo_org("c", Date::new(2026, 3, 31), 5);
        let from = Date::new(2026, 3, 29).to_unix();
        let to = from + DAY;
        let rows: Vec<&UsageRecord> = org
            .usage
            .iter()
            .filter(|r| r.start_time >= from && r.start_time < to)
            .collect();
        let table = usage_table(
            &PriceTable::built_in(),
            &rows,
            &crate::domain::zone::Zone::fixed("Asia/Kolkata", 19_800),
        );
        let wanted = org
            .usage
            .iter()
            .filter(|r| r.start_time >= from && r.start_time < to)
            .count();
        assert!(wanted > 0);
        assert_eq!(table.rows.len(), wanted);
        assert_eq!(table.rows[0][0], Cell::from("2026-03-29T00:00:00Z"));
        assert_eq!(table.rows[0][2], Cell::from("2026-03-29T05:30:00+05:30"));
        assert_eq!(table.rows[0][3], Cell::from("Asia/Kolkata"));
        let json: Value = serde_json::from_str(&table.to_json()).expect("JSON");
        let tokens: u64 = json
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| r["input_tokens"].as_u64().expect("a number"))
            .sum();
        let stored: u64 = org
            .usage
            .iter()
            .filter(|r| r.start_time >= from && r.start_time < to)
            .map(|r| r.counts.unpack().input)
            .sum();
        assert_eq!(tokens, stored);
    }

    #[test]
    fn the_excel_file_starts_with_a_byte_order_mark() {
        let csv = hostile().to_csv(Bom::With).expect("CSV");
        assert!(csv.as_bytes().starts_with(&[0xef, 0xbb, 0xbf]));
        let plain = hostile().to_csv(Bom::Without).expect("CSV");
        assert_eq!(&csv[3..], plain, "only the mark differs");
    }

    #[test]
    fn json_keeps_text_as_it_is_and_money_exact() {
        let json: Value =
            serde_json::from_str(&hostile().to_json()).expect("JSON");
        assert_eq!(
            json[0]["name"],
            "=HYPERLINK(\"http://example.invalid\",\"x\")"
        );
        assert_eq!(json[0]["tokens"], 7);
        assert_eq!(json[0]["cost"], "0.500000");
        assert_eq!(json[7]["cost"], Value::Null);
    }
}
