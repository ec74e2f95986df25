//! Admin API replies saved to files (with the `curl` commands keymeter
//! shows), read exactly as a sync reads them, so an imported page and a
//! synced one store the same rows under the same keys.

use serde::Deserialize;

use super::endpoints;
use super::types::{CostsPage, UsagePage};
use crate::domain::cost::cost_day_key;
use crate::domain::import::{
    kind_from_name, FileKind, ImportBatch, ImportError,
};
use crate::domain::time::{Date, DAY};
use crate::domain::usage::{bucket_key, BucketWidth, UsageKind};

/// Just enough of a reply to tell what it holds.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    object: Option<String>,
    #[serde(default)]
    data: Vec<ProbeBucket>,
}

#[derive(Deserialize)]
struct ProbeBucket {
    #[serde(default)]
    start_time: Option<i64>,
    #[serde(default)]
    end_time: Option<i64>,
    #[serde(default)]
    results: Vec<ProbeResult>,
}

#[derive(Deserialize)]
struct ProbeResult {
    #[serde(default)]
    object: Option<String>,
}

/// What a result's `object` says: `organization.usage.completions.result`
/// or `organization.costs.result`.
fn kind_of_object(object: &str) -> Option<FileKind> {
    if object == "organization.costs.result" {
        return Some(FileKind::Costs);
    }
    let path = object
        .strip_prefix("organization.usage.")?
        .strip_suffix(".result")?;
    UsageKind::from_path(path).map(FileKind::Usage)
}

/// Reads one saved reply page into rows of `connection_id`.
pub fn read_reply(
    file: &str,
    text: &str,
    connection_id: &str,
) -> Result<ImportBatch, ImportError> {
    let not_reply = |detail: String| ImportError::NotAReply {
        file: file.to_owned(),
        detail,
    };
    let probe: Probe = serde_json::from_str(text)
        .map_err(|e| not_reply(format!("not JSON at line {}", e.line())))?;
    match probe.object.as_deref() {
        Some("page") => {}
        Some(said) => {
            return Err(not_reply(format!("its object is {said}, not a page")))
        }
        None => {
            return Err(not_reply(
                "it has no \"object\": \"page\"; a keymeter backup is \
                 restored under Backup and restore instead"
                    .to_owned(),
            ))
        }
    }
    let kind = probe
        .data
        .iter()
        .flat_map(|b| &b.results)
        .find_map(|r| r.object.as_deref().and_then(kind_of_object))
        .or_else(|| kind_from_name(file))
        .ok_or_else(|| ImportError::Unknown(file.to_owned()))?;
    let mut batch = ImportBatch::default();
    match kind {
        FileKind::Costs => {
            let page: CostsPage = serde_json::from_str(text)
                .map_err(|e| not_reply(e.to_string()))?;
            let (starts, records) =
                page.into_cost_records(connection_id).map_err(not_reply)?;
            batch.cost_days = starts
                .iter()
                .map(|start| cost_day_key(connection_id, *start))
                .collect();
            batch.costs = records;
        }
        FileKind::Usage(kind) => {
            let width = probe
                .data
                .iter()
                .find_map(|b| Some(b.end_time? - b.start_time?))
                .map_or(Some(BucketWidth::Day), BucketWidth::from_seconds)
                .ok_or_else(|| not_reply("buckets of an odd width".into()))?;
            let page: UsagePage = serde_json::from_str(text)
                .map_err(|e| not_reply(e.to_string()))?;
            let (starts, records) =
                page.into_records(connection_id, kind, width);
            batch.usage_buckets = starts
                .iter()
                .map(|start| bucket_key(connection_id, kind, width, *start))
                .collect();
            batch.usage = records;
        }
    }
    Ok(batch)
}

/// Shell commands that save every reply keymeter needs for `[from, to)`
/// (UTC days) from `base`, one file per request, named so an import
/// knows what each holds. Each request covers at most one page (31 days
/// of usage, 180 of costs), so no paging is needed. The key is read from
/// `$OPENAI_ADMIN_KEY` and never written into the commands.
pub fn curl_commands(base: &str, from: i64, to: i64) -> String {
    let mut out = String::from(
        "# Set your admin key first: export OPENAI_ADMIN_KEY=sk-admin-...\n",
    );
    let mut line = |url: String, file: String| {
        out.push_str(&format!(
            "curl -sS -f -H \"Authorization: Bearer $OPENAI_ADMIN_KEY\" \
             \"{url}\" -o {file}\n"
        ));
    };
    for kind in UsageKind::ALL {
        let mut start = from;
        while start < to {
            let end = (start + 31 * DAY).min(to);
            let url = endpoints::usage(
                base,
                kind,
                BucketWidth::Day,
                start,
                end,
                None,
            );
            let file =
                format!("{}_1d_{}.json", kind.path(), Date::from_unix(start));
            line(url, file);
            start = end;
        }
    }
    let mut start = from;
    while start < to {
        let end = (start + 180 * DAY).min(to);
        let url = endpoints::costs(base, start, end, false, None);
        line(url, format!("costs_1d_{}.json", Date::from_unix(start)));
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const USAGE: &str = r#"{"object": "page", "has_more": false, "next_page": null,
      "data": [
        {"object": "bucket", "start_time": 1759622400, "end_time": 1759708800,
         "results": [{"object": "organization.usage.embeddings.result",
           "input_tokens": 700, "num_model_requests": 2,
           "project_id": "proj_1", "api_key_id": "key_1",
           "model": "text-embedding-3-small"}]},
        {"object": "bucket", "start_time": 1759708800, "end_time": 1759795200,
         "results": []}]}"#;

    #[test]
    fn a_saved_usage_page_says_its_kind_and_keeps_empty_buckets() {
        let batch = read_reply("anything.json", USAGE, "c").unwrap();
        assert_eq!(batch.usage.len(), 1);
        assert_eq!(batch.usage[0].kind, UsageKind::Embeddings);
        assert_eq!(batch.usage[0].counts.unpack().input, 700);
        assert_eq!(batch.usage_buckets.len(), 2);
    }

    #[test]
    fn an_empty_page_takes_its_kind_from_the_file_name() {
        let empty = r#"{"object": "page", "data": [{"start_time": 1759622400,
            "end_time": 1759626000, "results": []}]}"#;
        let batch =
            read_reply("images_1h_2025-10-05.json", empty, "c").unwrap();
        assert_eq!(
            batch.usage_buckets.iter().next().map(String::as_str),
            Some(
                bucket_key(
                    "c",
                    UsageKind::Images,
                    BucketWidth::Hour,
                    1_759_622_400
                )
                .as_str()
            )
        );
        assert!(matches!(
            read_reply("page.json", empty, "c"),
            Err(ImportError::Unknown(_))
        ));
    }

    #[test]
    fn costs_pages_and_broken_replies() {
        let costs = r#"{"object": "page", "data": [{"start_time": 1759622400,
          "end_time": 1759708800, "results": [
            {"object": "organization.costs.result",
             "amount": {"value": "12.50", "currency": "usd"},
             "line_item": "gpt-4o, input", "project_id": "proj_1"},
            {"object": "organization.costs.result",
             "amount": {"value": 0.8958740000000000, "currency": "usd"},
             "line_item": "web search", "project_id": "proj_1"}]}]}"#;
        let batch = read_reply("x.json", costs, "c").unwrap();
        let total: crate::domain::money::Usd =
            batch.costs.iter().map(|c| c.amount).sum();
        assert_eq!(total.to_fixed(6), "13.395874");
        for broken in [
            "",
            "{\"object\": \"list\", \"data\": []}",
            "[1]",
            &USAGE[..90],
        ] {
            assert!(
                read_reply("completions.json", broken, "c").is_err(),
                "{broken}"
            );
        }
    }

    #[test]
    fn curl_commands_cover_the_range_in_single_pages_without_the_key() {
        let from = Date::new(2025, 1, 1).to_unix();
        let to = from + 90 * DAY;
        let text = curl_commands("https://api.openai.com/v1", from, to);
        assert_eq!(text.matches("/usage/completions?").count(), 3);
        assert_eq!(text.matches("/organization/costs?").count(), 1);
        assert_eq!(text.matches("curl ").count(), 3 * UsageKind::ALL.len() + 1);
        assert!(
            text.contains("$OPENAI_ADMIN_KEY") && !text.contains("sk-admin-a")
        );
        assert!(text.contains("-o completions_1d_2025-02-01.json"));
    }
}
