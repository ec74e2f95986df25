//! Budgets in words: whose usage, how much, and how often, as the budget
//! list and alert messages say them.

use super::amount::{tokens_text, Amount};
use super::period::{range_text, weekday_name};
use super::progress::Progress;
use super::{Limit, Period, Scope};
use crate::domain::analytics::directory::Directory;
use crate::domain::analytics::Days;
use crate::domain::keys::{visible_name, ApiKey, Project};
use crate::domain::money::group_thousands;
use crate::domain::people::Person;

/// The name of `scope` in organization `connection_id`: a key's name
/// with its project (`api-server (Production)`, since keys of different
/// projects often share a name such as `default`), `project
/// Production`, a person's name, or `the organization`. Ids stand in for
/// names the listings lack.
pub fn scope_name(
    scope: &Scope,
    connection_id: &str,
    keys: &[ApiKey],
    projects: &[Project],
    people: &[Person],
) -> String {
    let directory = Directory::new(keys, projects, people);
    let name = match scope {
        Scope::Organization => "the organization".to_owned(),
        Scope::Project { id } => {
            format!("project {}", directory.project_name(connection_id, id))
        }
        Scope::User { id } => directory.person_name(connection_id, id).into(),
        Scope::Key { id } => match directory.key(connection_id, id) {
            Some(key) => {
                let project =
                    directory.project_name(connection_id, &key.project_id);
                format!("{} ({project})", key.display_name())
            }
            None => id.clone(),
        },
    };
    visible_name(&name)
}

/// `name`, a scope's name from `scope_name`, fit to open a sentence: the
/// names that start with keymeter's own words get a capital letter; the
/// names people gave keep theirs as typed.
pub fn sentence_subject(scope: &Scope, name: &str) -> String {
    match scope {
        Scope::Organization | Scope::Project { .. } => capitalized(name),
        Scope::User { .. } | Scope::Key { .. } => name.to_owned(),
    }
}

/// `$50.00` or `2,000,000 tokens`.
pub fn limit_text(limit: Limit) -> String {
    limit.amount().text()
}

/// `monthly`, `weekly (weeks start on Sunday)`, `daily`, or the range of
/// a custom period, `2026-01-01 to 2026-01-31`.
pub fn period_text(period: Period) -> String {
    match period {
        Period::Day => "daily".into(),
        Period::Week { first_day } => {
            format!("weekly (weeks start on {})", weekday_name(first_day))
        }
        Period::Month => "monthly".into(),
        Period::Custom { first, last } => range_text(Days::new(first, last)),
    }
}

/// What a budget is, to follow "its": `$50.00 monthly budget`,
/// `2,000,000-token weekly budget`, or `$50.00 budget for 2026-01-01 to
/// 2026-01-31`.
pub fn budget_phrase(limit: Limit, period: Period) -> String {
    let limit = match limit {
        Limit::Usd(amount) => amount.display(),
        Limit::Tokens(tokens) => {
            format!("{}-token", group_thousands(&tokens.to_string()))
        }
    };
    let every = match period {
        Period::Day => "daily",
        Period::Week { .. } => "weekly",
        Period::Month => "monthly",
        Period::Custom { first, last } => {
            let range = range_text(Days::new(first, last));
            return format!("{limit} budget for {range}");
        }
    };
    format!("{limit} {every} budget")
}

/// `$41.00 spent` or `1,600,000 tokens used`.
pub fn spent_text(spent: Amount) -> String {
    match spent {
        Amount::Usd(usd) => format!("{} spent", usd.display()),
        Amount::Tokens(tokens) => format!("{} used", tokens_text(tokens)),
    }
}

/// Why a dollar figure of `progress` falls short, when it does (see
/// `understated_note`).
pub fn understated_text(progress: &Progress) -> Option<String> {
    understated_note(progress.understated, progress.unpriced_tokens)
}

/// `Understated: 5,000 tokens have no price.` when a dollar figure is
/// `understated` by `unpriced_tokens` tokens (or by usage without
/// tokens, such as tool calls), for the page and alert messages alike.
pub fn understated_note(
    understated: bool,
    unpriced_tokens: u64,
) -> Option<String> {
    if !understated {
        return None;
    }
    Some(match unpriced_tokens {
        0 => "Understated: some usage has no price.".to_owned(),
        1 => "Understated: 1 token has no price.".to_owned(),
        tokens => format!(
            "Understated: {} tokens have no price.",
            group_thousands(&tokens.to_string())
        ),
    })
}

/// The note under figures that leave unpriced usage out, for usage of
/// `period` ("this month"): how many tokens lack a price, or, when only
/// usage without tokens (tool calls, storage) does, that some usage does.
pub fn left_out_note(unpriced_tokens: u64, period: &str) -> String {
    let tail = "left out of these figures.";
    match unpriced_tokens {
        0 => format!("Some usage {period} has no price and is {tail}"),
        1 => format!("1 token {period} has no price and is {tail}"),
        tokens => format!(
            "{} tokens {period} have no price and are {tail}",
            group_thousands(&tokens.to_string())
        ),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::budget::fixtures::{
        key_budget, nobody, priced, usage, utc,
    };
    use crate::domain::budget::progress::progress;
    use crate::domain::demo::demo_org;
    use crate::domain::keys::OwnerKind;
    use crate::domain::money::Usd;
    use crate::domain::time::Date;
    use crate::domain::usage::BucketWidth;
    use crate::domain::zone::Zone;

    fn names(scope: Scope) -> String {
        let org = demo_org("c", Date::new(2026, 5, 10), 1);
        let people = [Person {
            connection_id: "c".into(),
            id: "user-demoAda000000000000001".into(),
            kind: OwnerKind::User,
            name: "Ada Lovelace".into(),
            email: None,
            role: None,
        }];
        scope_name(&scope, "c", &org.keys, &org.projects, &people)
    }

    #[test]
    fn keys_are_named_with_their_project() {
        let key = |id: &str| Scope::Key { id: id.into() };
        assert_eq!(
            names(key("key_demoApiServer001")),
            "api-server (Production)"
        );
        assert_eq!(names(key("key_demoDefaultS0004")), "default (Staging)");
        assert_eq!(names(key("key_gone")), "key_gone");
    }

    #[test]
    fn other_scopes_are_named_by_what_they_are() {
        assert_eq!(names(Scope::Organization), "the organization");
        let project = Scope::Project {
            id: "proj_demoResearch0000000003".into(),
        };
        assert_eq!(names(project.clone()), "project Research");
        assert_eq!(
            sentence_subject(&project, "project Research"),
            "Project Research"
        );
        let user = Scope::User {
            id: "user-demoAda000000000000001".into(),
        };
        assert_eq!(names(user), "Ada Lovelace");
        let unknown = Scope::User {
            id: "user-x".into(),
        };
        assert_eq!(names(unknown), "user-x");
        let name = "the organization";
        assert_eq!(
            sentence_subject(&Scope::Organization, name),
            "The organization"
        );
        let key = Scope::Key { id: "k".into() };
        assert_eq!(sentence_subject(&key, "api-server"), "api-server");
    }

    #[test]
    fn a_name_cannot_turn_the_text_around() {
        let mut org = demo_org("c", Date::new(2026, 5, 10), 1);
        org.keys[0].notes.label = Some("evil\u{202E}reversed".into());
        let scope = Scope::Key {
            id: org.keys[0].id.clone(),
        };
        let name = scope_name(&scope, "c", &org.keys, &org.projects, &[]);
        assert_eq!(name, "evilreversed (Production)");
    }

    #[test]
    fn limits_and_periods_read_plainly() {
        let fifty = Limit::Usd(Usd(50_000_000_000_000));
        assert_eq!(limit_text(fifty), "$50.00");
        assert_eq!(limit_text(Limit::Tokens(2_000_000)), "2,000,000 tokens");
        assert_eq!(period_text(Period::Month), "monthly");
        assert_eq!(period_text(Period::Day), "daily");
        assert_eq!(
            period_text(Period::Week { first_day: 6 }),
            "weekly (weeks start on Sunday)"
        );
        let (first, last) = (Date::new(2026, 1, 1), Date::new(2026, 1, 31));
        let custom = Period::Custom { first, last };
        assert_eq!(period_text(custom), "2026-01-01 to 2026-01-31");
        assert_eq!(
            budget_phrase(fifty, Period::Month),
            "$50.00 monthly budget"
        );
        assert_eq!(
            budget_phrase(
                Limit::Tokens(2_000_000),
                Period::Week { first_day: 0 }
            ),
            "2,000,000-token weekly budget"
        );
        assert_eq!(
            budget_phrase(fifty, custom),
            "$50.00 budget for 2026-01-01 to 2026-01-31"
        );
        assert_eq!(spent_text(Amount::Tokens(3)), "3 tokens used");
    }

    #[test]
    fn unpriced_usage_is_named_with_its_tokens() {
        let day = Date::new(2026, 4, 2);
        let model = super::super::fixtures::UNPRICED_MODEL;
        let records =
            [usage("key_a", BucketWidth::Day, utc(day, 0), model, 12_345)];
        let b = key_budget("b", "key_a", 50);
        let p = progress(
            &b,
            &priced(&records),
            &nobody(),
            &Zone::utc(),
            utc(day, 5),
        );
        assert_eq!(
            understated_text(&p).as_deref(),
            Some("Understated: 12,345 tokens have no price.")
        );
        let p = progress(&b, &[], &nobody(), &Zone::utc(), utc(day, 5));
        assert_eq!(understated_text(&p), None);
    }

    #[test]
    fn the_left_out_note_never_speaks_of_zero_tokens() {
        assert_eq!(
            left_out_note(0, "this month"),
            "Some usage this month has no price and is left out of these \
             figures."
        );
        assert_eq!(
            left_out_note(1, "this month"),
            "1 token this month has no price and is left out of these figures."
        );
        assert_eq!(
            left_out_note(12_345, "this month"),
            "12,345 tokens this month have no price and are left out of \
             these figures."
        );
    }
}
