//! Interned names: the ids and labels that a stored history repeats in
//! every row (connection, project, user and key ids, model names, tiers).
//!
//! A million usage rows hold only a few thousand distinct ids, so each
//! row keeps a four-byte handle instead of its own copies of the text:
//! the rows of a year take a third of the memory, and rows compare and
//! hash their ids as numbers. Each distinct text is kept once, for the
//! life of the page, in a table that every thread shares (native tests
//! run on several threads and pass rows between them).

use std::collections::HashMap;
use std::fmt;
use std::num::NonZeroU32;
use std::ops::Deref;
use std::sync::{OnceLock, PoisonError, RwLock};

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A piece of text kept once for the whole program; cheap to copy,
/// compare and hash. `Option<Name>` is as small as `Name`.
///
/// Two names are equal exactly when their texts are, and they sort by
/// their text. They serialize as that text, so stored records and
/// exports read the same as with a `String`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Name(NonZeroU32);

/// Every text interned so far: its handle by text, its text by handle
/// (the handle's number less one).
#[derive(Default)]
struct Table {
    handles: HashMap<&'static str, Name>,
    texts: Vec<&'static str>,
}

fn table() -> &'static RwLock<Table> {
    static TABLE: OnceLock<RwLock<Table>> = OnceLock::new();
    TABLE.get_or_init(RwLock::default)
}

impl Name {
    /// The name of `text`, interning it if it is new.
    pub fn new(text: &str) -> Name {
        // A panic elsewhere cannot leave the table half updated: every
        // change below is one push and one insert, after the leak.
        let found = table()
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .handles
            .get(text)
            .copied();
        if let Some(name) = found {
            return name;
        }
        let mut table = table().write().unwrap_or_else(PoisonError::into_inner);
        // Another thread may have added it between the two locks.
        if let Some(&name) = table.handles.get(text) {
            return name;
        }
        let number = u32::try_from(table.texts.len() + 1)
            .ok()
            .and_then(NonZeroU32::new)
            .expect("fewer than four billion distinct names");
        let text: &'static str = Box::leak(text.into());
        let name = Name(number);
        table.texts.push(text);
        table.handles.insert(text, name);
        name
    }

    /// The name's number: the same for the same text within one run of
    /// the program, and meaningless outside it. For hashing.
    pub fn number(self) -> u32 {
        self.0.get()
    }

    /// The text this name stands for.
    pub fn as_str(self) -> &'static str {
        let at = self.0.get() as usize - 1;
        table().read().unwrap_or_else(PoisonError::into_inner).texts[at]
    }
}

impl Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name::new(text)
    }
}

impl From<&String> for Name {
    fn from(text: &String) -> Name {
        Name::new(text)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name::new(&text)
    }
}

impl From<Name> for String {
    fn from(name: Name) -> String {
        name.as_str().to_owned()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

/// By text, so that lists sorted by name read as they did with strings.
impl Ord for Name {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if self == other {
            return std::cmp::Ordering::Equal;
        }
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text, quoted as a string's would be, rather than the handle's
/// number, which means nothing outside this run.
impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(
        &self,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Name, D::Error> {
        deserializer.deserialize_str(NameVisitor)
    }
}

/// Reads a name from any string, borrowed or owned, without keeping it.
struct NameVisitor;

impl Visitor<'_> for NameVisitor {
    type Value = Name;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Name, E> {
        Ok(Name::new(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_is_always_the_same_name() {
        let a = Name::new("proj_interned_same");
        let b = Name::from(String::from("proj_interned_same"));
        let c: Name = "proj_interned_other".into();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.as_str(), "proj_interned_same");
        assert_eq!(a, "proj_interned_same");
        assert_eq!(&*c, "proj_interned_other");
    }

    #[test]
    fn names_interned_on_other_threads_agree() {
        let there = std::thread::spawn(|| Name::new("key_interned_thread"))
            .join()
            .expect("the thread interns");
        assert_eq!(there, Name::new("key_interned_thread"));
        assert_eq!(there.as_str(), "key_interned_thread");
    }

    #[test]
    fn names_sort_by_their_text_not_by_when_they_were_made() {
        let mut names: Vec<Name> = ["zz-sort", "mm-sort", "aa-sort", "mm-sort"]
            .into_iter()
            .map(Name::from)
            .collect();
        names.sort();
        let texts: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
        assert_eq!(texts, ["aa-sort", "mm-sort", "mm-sort", "zz-sort"]);
        assert!(Name::new("b-sort") > Name::new("a-sort"));
    }

    #[test]
    fn an_optional_name_takes_no_more_room_than_a_name() {
        assert_eq!(std::mem::size_of::<Name>(), 4);
        assert_eq!(std::mem::size_of::<Option<Name>>(), 4);
    }

    #[test]
    fn names_serialize_as_plain_strings_and_read_back() {
        let name = Name::new("gpt-4o-2024-08-06");
        let json = serde_json::to_string(&name).expect("serializes");
        assert_eq!(json, "\"gpt-4o-2024-08-06\"");
        let back: Name = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, name);

        let some: Option<Name> = serde_json::from_str("\"a\\u0001b\"").unwrap();
        assert_eq!(some.map(Name::as_str), Some("a\u{1}b"));
        let none: Option<Name> = serde_json::from_str("null").unwrap();
        assert_eq!(none, None);
        assert!(serde_json::from_str::<Name>("12").is_err());
    }

    #[test]
    fn names_print_as_their_text() {
        let name = Name::new("user_print");
        assert_eq!(name.to_string(), "user_print");
        assert_eq!(format!("{name:?}"), "\"user_print\"");
        assert_eq!(format!("{:?}", Some(name)), "Some(\"user_print\")");
    }
}
