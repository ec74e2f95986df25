//! Following `next_page` cursors to the end, and refusing to loop when an
//! API hands back a cursor it already gave.

use std::collections::HashSet;

use super::error::ApiError;

/// Where a paged fetch stands.
#[derive(Debug, Default)]
pub struct Cursor {
    seen: HashSet<String>,
    next: Option<String>,
    done: bool,
}

impl Cursor {
    /// The `page` value of the next request (`None` for the first).
    pub fn next_page(&self) -> Option<&str> {
        self.next.as_deref()
    }

    /// Whether every page has been fetched.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Records a page's `has_more` and `next_page`. Only `has_more: false`
    /// ends the walk; `has_more` without a cursor, or a cursor seen before,
    /// is a broken reply rather than the end.
    pub fn advance(
        &mut self,
        has_more: bool,
        next_page: Option<String>,
    ) -> Result<(), ApiError> {
        if !has_more {
            self.done = true;
            return Ok(());
        }
        let next =
            next_page
                .filter(|cursor| !cursor.is_empty())
                .ok_or_else(|| {
                    ApiError::Malformed("has_more without next_page".into())
                })?;
        if !self.seen.insert(next.clone()) {
            return Err(ApiError::PagingLoop);
        }
        self.next = Some(next);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source of `total` buckets served `per_page` at a time, counting the
    /// requests made.
    fn walk(total: u32, per_page: u32) -> (u32, u32) {
        let mut cursor = Cursor::default();
        let (mut requests, mut buckets) = (0, 0);
        while !cursor.is_done() {
            let offset: u32 =
                cursor.next_page().map_or(0, |p| p.parse().unwrap());
            requests += 1;
            let served = per_page.min(total - offset);
            buckets += served;
            let more = offset + served < total;
            let next = more.then(|| (offset + served).to_string());
            cursor.advance(more, next).unwrap();
        }
        (requests, buckets)
    }

    #[test]
    fn paging_stops_only_when_has_more_is_false() {
        assert_eq!(walk(400, 31), (13, 400));
        assert_eq!(walk(31, 31), (1, 31));
        assert_eq!(walk(0, 31), (1, 0));
    }

    #[test]
    fn a_repeated_cursor_is_refused() {
        let mut cursor = Cursor::default();
        cursor.advance(true, Some("a".into())).unwrap();
        assert_eq!(
            cursor.advance(true, Some("a".into())),
            Err(ApiError::PagingLoop)
        );
    }

    #[test]
    fn has_more_without_a_cursor_is_malformed() {
        let mut cursor = Cursor::default();
        assert!(matches!(
            cursor.advance(true, None),
            Err(ApiError::Malformed(_))
        ));
    }
}
