//! Stable sorting that compiles once.
//!
//! The standard library's stable sort is compiled anew for every element
//! type and comparison it is called with, a few kB of WebAssembly each.
//! These functions sort positions instead, with the one comparison type
//! below, and then move the items into their places: the same result as
//! `slice::sort_by`, `slice::sort_by_key` and `slice::sort_by_cached_key`,
//! for a fraction of the code.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`, like `slice::sort_by`.
pub fn by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` stably by the key `key` gives, like `slice::sort_by_key`.
pub fn by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` stably by the key `key` gives, working each key out once,
/// like `slice::sort_by_cached_key`.
pub fn by_cached_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = positions(items.len(), &|a, b| keys[a].cmp(&keys[b]));
    permute(items, order);
}

/// The positions `0..len` in the order `compare` gives them, ties kept in
/// position order.
fn positions(
    len: usize,
    compare: &dyn Fn(usize, usize) -> Ordering,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Moves the item at `order[i]` to position `i`, one cycle of the
/// permutation at a time.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut current = start;
        loop {
            let source = order[current];
            // A position that holds its item points at itself, so a cycle
            // is walked once and later starts inside it stop at once.
            order[current] = current;
            if source == start {
                break;
            }
            items.swap(current, source);
            current = source;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let mut seed = 7u64;
        let mut items: Vec<(u8, usize)> = (0..500)
            .map(|i| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                ((seed >> 59) as u8, i)
            })
            .collect();
        let mut expected = items.clone();
        expected.sort_by_key(|item| std::cmp::Reverse(item.0));

        by(&mut items, |a, b| b.0.cmp(&a.0));

        assert_eq!(items, expected);
    }

    #[test]
    fn equal_keys_keep_their_order() {
        let mut items = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];

        by_key(&mut items, |item| item.0);

        let letters: String = items.iter().map(|item| item.1).collect();
        assert_eq!(letters, "ebdac");
    }

    #[test]
    fn cached_keys_sort_like_the_standard_cached_key_sort() {
        let mut items: Vec<String> =
            ["pear", "fig", "apple", "kiwi", "plum", "date", "lime"]
                .iter()
                .map(|word| word.to_string())
                .collect();
        let mut expected = items.clone();
        expected.sort_by_cached_key(|word| word.len());

        by_cached_key(&mut items, |word| word.len());

        assert_eq!(items, expected);
    }

    #[test]
    fn empty_and_single_slices_stay_as_they_are() {
        let mut empty: Vec<u32> = Vec::new();
        by_key(&mut empty, |&n| n);
        assert!(empty.is_empty());

        let mut one = vec![String::from("only")];
        by(&mut one, |a, b| a.cmp(b));
        assert_eq!(one, ["only"]);
    }
}
