//! Query strings read the way OpenAI reads them: keys may repeat
//! (`group_by=model&group_by=batch`), which serde's urlencoded reader
//! cannot express.

use super::error::ApiFailure;

/// The decoded pairs of a query string, in order.
#[derive(Debug, Default)]
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    pub(crate) fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .unwrap_or_default()
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(name), decode(value))
            })
            .collect();
        Query(pairs)
    }

    /// The first value of `name`.
    pub(crate) fn first(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every value of `name`, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// `name` as an integer, if given.
    pub(crate) fn int(
        &self,
        name: &'static str,
    ) -> Result<Option<i64>, ApiFailure> {
        self.first(name)
            .map(|value| {
                value.trim().parse().map_err(|_| {
                    ApiFailure::bad_param(
                        name,
                        format!(
                            "Invalid '{name}': expected an integer, got \
                             '{value}'."
                        ),
                    )
                })
            })
            .transpose()
    }

    /// `limit`, checked against the range the endpoint allows.
    pub(crate) fn limit(
        &self,
        default: usize,
        max: usize,
    ) -> Result<usize, ApiFailure> {
        let Some(limit) = self.int("limit")? else {
            return Ok(default);
        };
        if (1..=max as i64).contains(&limit) {
            Ok(limit as usize)
        } else {
            Err(ApiFailure::bad_param(
                "limit",
                format!(
                    "Invalid 'limit': {limit}. It must be between 1 and {max}."
                ),
            ))
        }
    }
}

/// Percent-decodes a query component (`+` is a space). A stray `%` is
/// kept as it is rather than refused, as lenient servers do.
fn decode(component: &str) -> String {
    let bytes = component.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_keep_every_value_in_order() {
        let query = Query::parse(Some("group_by=model&limit=3&group_by=batch"));
        assert_eq!(query.all("group_by"), ["model", "batch"]);
        assert_eq!(query.first("limit"), Some("3"));
        assert_eq!(query.first("page"), None);
    }

    #[test]
    fn components_are_percent_decoded() {
        let query = Query::parse(Some("page=a%2Fb%2Bc&name=x+y&bad=%+1"));
        assert_eq!(query.first("page"), Some("a/b+c"));
        assert_eq!(query.first("name"), Some("x y"));
        assert_eq!(query.first("bad"), Some("% 1"));
    }
}
