//! What the page shows, as a URL query: the view, its filters, the range
//! and the display zone. Keeping it in the query (not the path) lets a
//! bookmark, a reload or a shared link open the same view on any static
//! host, GitHub Pages sub-paths included; a fallback page only catches
//! old or mistyped paths.
//! Only ids go in the URL, never a secret.

use super::range::RangeChoice;
use super::usage::UsageKind;
use super::zone::plausible_name;

/// The views of the page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Overview,
    Analytics,
    Compare,
    Users,
    Projects,
    Keys,
    Costs,
    Budgets,
    Alerts,
    Prices,
    Backup,
    Organization,
}

impl View {
    pub const ALL: [View; 12] = [
        View::Overview,
        View::Analytics,
        View::Compare,
        View::Users,
        View::Projects,
        View::Keys,
        View::Costs,
        View::Budgets,
        View::Alerts,
        View::Prices,
        View::Backup,
        View::Organization,
    ];

    /// The view's word in the URL.
    pub fn slug(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Analytics => "analytics",
            View::Compare => "compare",
            View::Users => "users",
            View::Projects => "projects",
            View::Keys => "keys",
            View::Costs => "costs",
            View::Budgets => "budgets",
            View::Alerts => "alerts",
            View::Prices => "prices",
            View::Backup => "backup",
            View::Organization => "organization",
        }
    }

    pub fn from_slug(slug: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.slug() == slug)
    }

    /// Whether the filters (project, user, key, model, kind) narrow this
    /// view.
    pub fn uses_filters(self) -> bool {
        matches!(self, View::Analytics | View::Compare)
    }

    /// Whether the range picker changes this view.
    pub fn uses_range(self) -> bool {
        matches!(
            self,
            View::Overview
                | View::Analytics
                | View::Compare
                | View::Users
                | View::Projects
                | View::Costs
                | View::Backup
        )
    }
}

/// The narrowing a view applies, by id. Empty fields mean "all".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Narrowing {
    pub project: Option<String>,
    pub user: Option<String>,
    pub key: Option<String>,
    pub model: Option<String>,
    /// A usage kind's path segment, such as `embeddings`.
    pub kind: Option<String>,
}

/// Everything the URL says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Route {
    pub view: View,
    /// A connection id, or `*` for every organization.
    pub org: Option<String>,
    pub narrowing: Narrowing,
    /// `None` when the URL does not say, so a remembered range applies.
    pub range: Option<RangeChoice>,
    /// An IANA zone name; `None` when the URL does not say.
    pub zone: Option<String>,
    /// A range the URL gives that is none, such as `range=0d` or dates in
    /// the wrong order: the page says so rather than quietly showing
    /// another. Never written back.
    pub refused_range: Option<String>,
}

/// Longest value kept from a URL: ids and model names are far shorter.
const MAX_VALUE: usize = 200;

impl Route {
    /// Reads a query such as `?view=analytics&key=key_abc&range=7d`.
    /// Unknown parameters and values that do not parse are ignored, so an
    /// old or edited link still opens something sensible.
    pub fn parse(query: &str) -> Route {
        let mut route = Route::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let Some(value) = decode(value) else { continue };
            if value.is_empty() || value.len() > MAX_VALUE {
                continue;
            }
            let n = &mut route.narrowing;
            match name {
                "view" => {
                    route.view = View::from_slug(&value).unwrap_or_default()
                }
                "org" => route.org = Some(value),
                "project" => n.project = Some(value),
                "user" => n.user = Some(value),
                "key" => n.key = Some(value),
                "model" => n.model = Some(value),
                "kind" if UsageKind::from_path(&value).is_some() => {
                    n.kind = Some(value)
                }
                "range" => match RangeChoice::parse(&value) {
                    Some(range) => route.range = Some(range),
                    None => route.refused_range = Some(value),
                },
                "zone" if plausible_name(&value) => route.zone = Some(value),
                _ => {}
            }
        }
        route
    }

    /// The query for this route, starting with `?`; defaults are left
    /// out so the plain address stays plain.
    pub fn query(&self) -> String {
        let n = &self.narrowing;
        let range = self.range.map(RangeChoice::param);
        let view =
            (self.view != View::default()).then(|| self.view.slug().to_owned());
        let pairs = [
            ("view", view.as_ref()),
            ("org", self.org.as_ref()),
            ("project", n.project.as_ref()),
            ("user", n.user.as_ref()),
            ("key", n.key.as_ref()),
            ("model", n.model.as_ref()),
            ("kind", n.kind.as_ref()),
            ("range", range.as_ref()),
            ("zone", self.zone.as_ref()),
        ];
        let parts: Vec<String> = pairs
            .iter()
            .filter_map(|(name, value)| {
                Some(format!("{name}={}", encode((*value)?)))
            })
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Undoes `encode` (and `+` for a space, as forms write it); `None` for a
/// broken escape or bytes that are not UTF-8.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::Date;

    #[test]
    fn a_full_route_survives_the_trip_through_the_url() {
        let route = Route {
            view: View::Analytics,
            org: Some("conn 1&2".into()),
            narrowing: Narrowing {
                project: Some("proj_abc".into()),
                user: Some("user-Ünïcode".into()),
                key: Some("key_x=y".into()),
                model: Some("gpt-4o-2024-08-06".into()),
                kind: Some("embeddings".into()),
            },
            range: Some(RangeChoice::Custom {
                first: Date::new(2026, 1, 1),
                last: Date::new(2026, 2, 1),
            }),
            zone: Some("America/Argentina/Salta".into()),
            refused_range: None,
        };
        let query = route.query();
        assert!(!query.contains(' ') && !query.contains("&2"), "{query}");
        assert_eq!(Route::parse(&query), route);
    }

    #[test]
    fn the_default_view_has_an_empty_query() {
        assert_eq!(Route::default().query(), "");
        assert_eq!(Route::parse(""), Route::default());
        assert_eq!(Route::parse("?"), Route::default());
    }

    #[test]
    fn broken_or_unknown_parts_are_ignored_not_fatal() {
        let route = Route::parse(
            "?view=nope&range=banana&zone=%3Cscript%3E&key=%ZZ&x=1&user=%FF&org=a",
        );
        assert_eq!(route.view, View::Overview);
        assert_eq!(route.range, None);
        assert_eq!(route.refused_range.as_deref(), Some("banana"));
        assert_eq!(route.zone, None);
        assert_eq!(route.narrowing.key, None);
        assert_eq!(route.narrowing.user, None);
        assert_eq!(route.org.as_deref(), Some("a"));
        assert_eq!(Route::parse("?kind=bogus").narrowing.kind, None);
        assert_eq!(
            Route::parse("?kind=embeddings").narrowing.kind.as_deref(),
            Some("embeddings")
        );
        assert_eq!(Route::parse("?zone=UTC").zone.as_deref(), Some("UTC"));
        assert_eq!(Route::parse("?range=7d").range, Some(RangeChoice::Days(7)));
        assert_eq!(
            Route::parse(&format!("?key={}", "k".repeat(500)))
                .narrowing
                .key,
            None
        );
    }

    #[test]
    fn every_view_has_its_own_slug() {
        for view in View::ALL {
            assert_eq!(View::from_slug(view.slug()), Some(view));
        }
    }
}
