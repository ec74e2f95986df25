//! The CSV files OpenAI's usage dashboard exports. There is no official
//! description of them, so columns are matched by header name, never by
//! position; missing optional columns read as empty, unknown ones are
//! ignored; times come as unix seconds or ISO text; numbers may be
//! written `10.0`; an empty bucket is a row with empty fields.

use std::collections::HashMap;

use super::{FileKind, ImportBatch, ImportError};
use crate::domain::cost::{cost_day_key, parse_usd, CostRecord};
use crate::domain::name::Name;
use crate::domain::time::{Date, DAY};
use crate::domain::usage::{
    BucketWidth, Span, TokenCounts, UsageKind, UsageRecord,
};

/// Reads one dashboard CSV file of `kind` into rows of `connection_id`.
pub fn read_csv(
    file: &str,
    text: &str,
    kind: FileKind,
    connection_id: &str,
) -> Result<ImportBatch, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ImportError::Empty(file.to_owned()));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let bad = |line: usize, detail: String| ImportError::BadRow {
        file: file.to_owned(),
        line,
        detail,
    };
    let header = reader.headers().map_err(|e| bad(1, e.to_string()))?;
    let columns: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, name)| (name.to_ascii_lowercase(), i))
        .collect();
    let has = |name: &str| columns.contains_key(name);
    if !has("start_time") && !has("start_time_iso") {
        return Err(ImportError::MissingColumn {
            file: file.to_owned(),
            column: "start_time",
        });
    }
    if kind == FileKind::Costs && !has("amount_value") {
        return Err(ImportError::MissingColumn {
            file: file.to_owned(),
            column: "amount_value",
        });
    }

    let mut batch = ImportBatch::default();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record.map_err(|e| bad(line, e.to_string()))?;
        let row = Row {
            record: &record,
            columns: &columns,
        };
        if row.is_blank() {
            continue;
        }
        let start = row.time("start_time").map_err(|d| bad(line, d))?;
        let end = match row.time("end_time") {
            Ok(end) => end,
            Err(_) if kind == FileKind::Costs => start + DAY,
            Err(detail) => return Err(bad(line, detail)),
        };
        match kind {
            FileKind::Costs => {
                batch.cost_days.insert(cost_day_key(connection_id, start));
                let text = row.text("amount_value").unwrap_or_default();
                if text.is_empty() {
                    continue;
                }
                let amount = parse_usd(&text).ok_or_else(|| {
                    bad(line, format!("\"{text}\" is not an amount"))
                })?;
                batch.costs.push(CostRecord {
                    connection_id: connection_id.to_owned(),
                    start_time: start,
                    end_time: end,
                    project_id: row.text("project_id"),
                    line_item: row.text("line_item"),
                    api_key_id: row.text("api_key_id"),
                    amount,
                    currency: row
                        .text("amount_currency")
                        .unwrap_or_else(|| "usd".to_owned())
                        .to_lowercase(),
                });
            }
            FileKind::Usage(kind) => {
                let width = BucketWidth::from_seconds(end - start).ok_or_else(
                    || {
                        bad(
                            line,
                            "a bucket that is not a minute, hour or day".into(),
                        )
                    },
                )?;
                let record =
                    usage_row(&row, connection_id, kind, width, start, end)
                        .map_err(|d| bad(line, d))?;
                batch.usage_buckets.insert(record.bucket_key());
                if !record.counts.is_zero()
                    || record.model.is_some()
                    || record.project_id.is_some()
                {
                    batch.usage.push(record);
                }
            }
        }
    }
    Ok(batch)
}

fn usage_row(
    row: &Row,
    connection_id: &str,
    kind: UsageKind,
    width: BucketWidth,
    start: i64,
    end: i64,
) -> Result<UsageRecord, String> {
    let batch = match row.text("batch").map(|b| b.to_ascii_lowercase()) {
        None => None,
        Some(b) if b == "true" || b == "1" => Some(true),
        Some(b) if b == "false" || b == "0" => Some(false),
        Some(other) => return Err(format!("batch is \"{other}\"")),
    };
    Ok(UsageRecord {
        connection_id: connection_id.into(),
        kind,
        width,
        start_time: start,
        span: Span::between(start, end),
        project_id: row.name("project_id"),
        user_id: row.name("user_id"),
        api_key_id: row.name("api_key_id"),
        model: row.name("model"),
        batch,
        service_tier: row.name("service_tier"),
        size: row.name("size"),
        source: row.name("source"),
        counts: TokenCounts {
            requests: row.count("num_model_requests")?,
            input: row.count("input_tokens")?,
            cached_input: row.count("input_cached_tokens")?,
            output: row.count("output_tokens")?,
            input_audio: row.count("input_audio_tokens")?,
            output_audio: row.count("output_audio_tokens")?,
            images: row.count("images")?,
            characters: row.count("characters")?,
            seconds: row.count("seconds")?,
            usage_bytes: row.count("usage_bytes")?,
            sessions: row.count("num_sessions")?,
            calls: row.count("num_requests")?,
        }
        .into(),
    })
}

/// One data line, read by column name.
struct Row<'a> {
    record: &'a csv::StringRecord,
    columns: &'a HashMap<String, usize>,
}

impl Row<'_> {
    fn cell(&self, name: &str) -> &str {
        self.columns
            .get(name)
            .and_then(|i| self.record.get(*i))
            .unwrap_or_default()
    }

    /// A non-empty text cell.
    fn text(&self, name: &str) -> Option<String> {
        let cell = self.cell(name);
        (!cell.is_empty()).then(|| cell.to_owned())
    }

    /// The cell `name` as an id, `None` when it is empty.
    fn name(&self, name: &str) -> Option<Name> {
        let cell = self.cell(name);
        (!cell.is_empty()).then(|| Name::new(cell))
    }

    fn is_blank(&self) -> bool {
        self.record.iter().all(str::is_empty)
    }

    /// A whole count, written `10` or `10.0`; empty is zero.
    fn count(&self, name: &str) -> Result<u64, String> {
        let cell = self.cell(name);
        if cell.is_empty() {
            return Ok(0);
        }
        let whole = cell
            .split_once('.')
            .filter(|(_, fraction)| fraction.bytes().all(|b| b == b'0'))
            .map_or(cell, |(whole, _)| whole);
        whole
            .parse::<u64>()
            .map_err(|_| format!("{name} is \"{cell}\", not a whole number"))
    }

    /// `name` as unix seconds, or `name_iso` as ISO text.
    fn time(&self, name: &str) -> Result<i64, String> {
        let unix = self.cell(name);
        if !unix.is_empty() {
            let whole = unix.split_once('.').map_or(unix, |(w, _)| w);
            return whole
                .parse::<i64>()
                .map_err(|_| format!("{name} is \"{unix}\", not a time"));
        }
        let iso = self.cell(&format!("{name}_iso"));
        parse_iso(iso).ok_or_else(|| format!("{name} is missing or \"{iso}\""))
    }
}

/// `2025-10-05T00:00:00+00:00`, `…Z` or a bare date, as unix seconds.
fn parse_iso(text: &str) -> Option<i64> {
    let (date, rest) = text.split_once('T').unwrap_or((text, ""));
    let day = Date::parse(date)?.to_unix();
    if rest.is_empty() {
        return Some(day);
    }
    let (clock, offset) = match rest.find(['Z', '+', '-']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let mut parts = clock
        .split(':')
        .map(|p| p.split('.').next()?.parse::<i64>().ok());
    let hours = parts.next()??;
    let minutes = parts.next().flatten().unwrap_or(0);
    let seconds = parts.next().flatten().unwrap_or(0);
    let offset = match offset {
        "" | "Z" | "+00:00" | "-00:00" => 0,
        other => {
            let sign = if other.starts_with('-') { -1 } else { 1 };
            let (h, m) = other[1..].split_once(':')?;
            sign * (h.parse::<i64>().ok()? * 3_600
                + m.parse::<i64>().ok()? * 60)
        }
    };
    Some(day + hours * 3_600 + minutes * 60 + seconds - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMPLETIONS: &str = "start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens,input_uncached_tokens\r\n\
1759622400,1759708800,2025-10-05T00:00:00+00:00,2025-10-06T00:00:00+00:00,proj_1,3.0,user_1,key_1,gpt-4o-mini,FALSE,default,1000.0,200,100,900\r\n\
1759622400,1759708800,2025-10-05T00:00:00+00:00,2025-10-06T00:00:00+00:00,proj_1,1,,key_2,gpt-4o,TRUE,,50,5,0,50\r\n\
1759708800,1759795200,2025-10-06T00:00:00+00:00,2025-10-07T00:00:00+00:00,,,,,,,,,,,\r\n";

    fn read(text: &str, kind: FileKind) -> Result<ImportBatch, ImportError> {
        read_csv("f.csv", text, kind, "c")
    }

    #[test]
    fn completions_rows_are_read_by_header_and_empty_buckets_kept() {
        let batch =
            read(COMPLETIONS, FileKind::Usage(UsageKind::Completions)).unwrap();
        assert_eq!(batch.usage.len(), 2);
        assert_eq!(batch.usage_buckets.len(), 2, "the empty day too");
        let first = &batch.usage[0];
        let counts = first.counts.unpack();
        assert_eq!(counts.requests, 3);
        assert_eq!(counts.input, 1_000);
        assert_eq!(counts.cached_input, 100);
        assert_eq!(first.batch, Some(false));
        assert_eq!(first.width, BucketWidth::Day);
        assert_eq!(batch.usage[1].user_id, None);
        assert_eq!(batch.usage[1].batch, Some(true));
    }

    #[test]
    fn reordered_extra_and_missing_columns_read_the_same() {
        let reordered =
            "model,input_tokens,start_time_iso,end_time_iso,extra,api_key_id\n\
gpt-4o-mini,1000,2025-10-05T00:00:00Z,2025-10-06T00:00:00Z,zzz,key_1\n";
        let batch =
            read(reordered, FileKind::Usage(UsageKind::Completions)).unwrap();
        assert_eq!(batch.usage.len(), 1);
        assert_eq!(batch.usage[0].start_time, 1_759_622_400);
        assert_eq!(batch.usage[0].counts.unpack().input, 1_000);
        assert_eq!(batch.usage[0].project_id, None);
    }

    #[test]
    fn broken_files_are_refused_with_the_line() {
        let kind = FileKind::Usage(UsageKind::Completions);
        assert_eq!(read("", kind), Err(ImportError::Empty("f.csv".into())));
        assert!(matches!(
            read("model,input_tokens\ngpt-4o,1\n", kind),
            Err(ImportError::MissingColumn {
                column: "start_time",
                ..
            })
        ));
        let truncated = &COMPLETIONS[..COMPLETIONS.len() / 2];
        let cut = read(truncated, kind);
        assert!(
            matches!(cut, Err(ImportError::BadRow { .. }) | Ok(_)),
            "{cut:?}"
        );
        let words = COMPLETIONS.replace("1000.0", "many");
        let error = read(&words, kind).unwrap_err();
        assert_eq!(
            error.to_string(),
            "f.csv, line 2: input_tokens is \"many\", not a whole number."
        );
        let hours = COMPLETIONS.replace("1759708800,2025", "1759623000,2025");
        assert!(read(&hours, kind).is_err(), "a bucket of 10 minutes");
        let latin1 =
            b"start_time,end_time,model\n1759622400,1759708800,caf\xe9\n";
        let lossy = String::from_utf8_lossy(latin1);
        let batch = read(&lossy, kind).expect("read with a replacement mark");
        assert_eq!(batch.usage.len(), 1);
    }

    #[test]
    fn cost_rows_sum_exactly_and_blank_amounts_are_skipped() {
        let text = "\u{feff}start_time,end_time,start_time_iso,end_time_iso,amount_value,amount_currency,line_item,project_id,organization_id,organization_name\n\
1759622400,1759708800,,,12.50,usd,\"gpt-4o, input\",proj_1,org_1,Acme\n\
1759622400,1759708800,,,0.8958740000000000,usd,web search tool calls,proj_1,org_1,Acme\n\
1759708800,1759795200,,,,,,,,\n";
        let batch = read(text, FileKind::Costs).unwrap();
        let total: crate::domain::money::Usd =
            batch.costs.iter().map(|c| c.amount).sum();
        assert_eq!(total.to_fixed(6), "13.395874");
        assert_eq!(batch.cost_days.len(), 2);
        let negative = text.replace("12.50", "-1.00");
        assert!(read(&negative, FileKind::Costs).is_err());
    }

    #[test]
    fn iso_times_with_offsets_read_as_utc() {
        assert_eq!(parse_iso("2025-10-05T00:00:00+00:00"), Some(1_759_622_400));
        assert_eq!(parse_iso("2025-10-05T02:00:00+02:00"), Some(1_759_622_400));
        assert_eq!(parse_iso("2025-10-04T19:00:00-05:00"), Some(1_759_622_400));
        assert_eq!(parse_iso("2025-10-05"), Some(1_759_622_400));
        assert_eq!(parse_iso("yesterday"), None);
    }
}
