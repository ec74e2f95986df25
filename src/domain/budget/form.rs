//! What a user types into the budget form, read into a budget: a limit
//! in dollars or tokens, thresholds in percent, and a period. Each field
//! that cannot be read says why in a sentence the form shows as is.

use super::{Budget, Limit, Period, Scope, DEFAULT_THRESHOLDS};
use crate::domain::keys::ApiKey;
use crate::domain::money::{group_thousands, Usd};
use crate::domain::time::Date;
use crate::domain::zone::UTC;

/// The highest threshold, in percent: ten times the limit is far enough
/// to warn of a runaway key.
pub const MAX_THRESHOLD: u32 = 1_000;

/// A dollar limit above this is a typing slip, not a budget.
pub const MAX_DOLLARS: u64 = 1_000_000_000;

/// A token limit above this is a typing slip, not a budget.
pub const MAX_TOKENS: u64 = 1_000_000_000_000_000;

/// One-click budgets for a key: a label and dollars a month.
pub const PRESETS: [(&str, u64); 3] = [
    ("$10 a month", 10),
    ("$50 a month", 50),
    ("$100 a month", 100),
];

const PICO_PER_DOLLAR: u128 = 1_000_000_000_000;
const PICO_PER_CENT: u128 = PICO_PER_DOLLAR / 100;

/// Characters people put between groups of three digits.
const GROUP_SEPARATORS: [char; 5] = [',', ' ', '_', '\u{a0}', '\u{202f}'];

/// Thresholds that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ThresholdsError {
    #[error("Type at least one threshold in percent, like 50, 80, 100.")]
    Empty,
    #[error(
        "“{0}” is not a whole percent. Type thresholds like \
         50, 80, 100."
    )]
    NotANumber(String),
    #[error("{0} % is out of range: thresholds go from 1 % to 1,000 %.")]
    OutOfRange(String),
}

/// A limit that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error("Type a limit, like 50 for $50.00.")]
    Empty,
    #[error(
        "“{0}” is not an amount of dollars. Type one like 50, 50.50 or \
         1,000."
    )]
    NotAnAmount(String),
    #[error(
        "“{0}” is not a number of tokens. Type whole tokens like \
         2,000,000."
    )]
    NotATokenCount(String),
    #[error("A limit cannot be negative. Type the amount without a sign.")]
    Negative,
    #[error("A limit of zero would be reached at once. Type more than 0.")]
    Zero,
    #[error("Type dollars with at most two decimals, like 50.25.")]
    TooPrecise,
    #[error(
        "A limit above $1,000,000,000 is surely a slip. Check the digits."
    )]
    TooManyDollars,
    #[error(
        "A limit above 1,000,000,000,000,000 tokens is surely a slip. \
         Check the digits."
    )]
    TooManyTokens,
}

/// Whatever keeps the budget form from making a budget.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BudgetFormError {
    #[error(transparent)]
    Limit(#[from] LimitError),
    #[error(transparent)]
    Thresholds(#[from] ThresholdsError),
    #[error("Pick the {0} day of the period as a date, like 2026-01-31.")]
    BadDate(&'static str),
    #[error("The period ends before it starts. Swap its first and last days.")]
    Reversed,
    #[error("Weeks start on a day from Monday to Sunday. Pick one of them.")]
    WeekStart,
    #[error("Pick the key, project or person the budget is for.")]
    NoScope,
}

/// What a budget caps, as the form offers it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unit {
    #[default]
    Dollars,
    Tokens,
}

/// How long a period lasts, as the form offers it; a custom period's
/// days come from the form's date fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Every {
    Day,
    Week,
    #[default]
    Month,
    Custom,
}

/// The budget form's fields as the user left them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetForm {
    pub connection_id: String,
    pub scope: Scope,
    pub every: Every,
    /// The day weeks start on, 0 Monday through 6 Sunday.
    pub week_start: u32,
    /// A custom period's first and last days, as a date input gives
    /// them (`2026-01-31`).
    pub first: String,
    pub last: String,
    /// The IANA zone whose days the periods follow; UTC when empty.
    pub zone: String,
    pub unit: Unit,
    pub limit: String,
    pub thresholds: String,
    pub paused: bool,
}

impl Default for BudgetForm {
    fn default() -> Self {
        BudgetForm {
            connection_id: String::new(),
            scope: Scope::Organization,
            every: Every::Month,
            week_start: 0,
            first: String::new(),
            last: String::new(),
            zone: UTC.to_owned(),
            unit: Unit::Dollars,
            limit: String::new(),
            thresholds: thresholds_text(&DEFAULT_THRESHOLDS),
            paused: false,
        }
    }
}

impl BudgetForm {
    /// The form filled from `budget`, to edit it. Reading it back gives
    /// the same budget, for every limit the form can make.
    pub fn of(budget: &Budget) -> BudgetForm {
        let (every, week_start, first, last) = match budget.period {
            Period::Day => (Every::Day, 0, String::new(), String::new()),
            Period::Week { first_day } => {
                (Every::Week, first_day, String::new(), String::new())
            }
            Period::Month => (Every::Month, 0, String::new(), String::new()),
            Period::Custom { first, last } => {
                (Every::Custom, 0, first.to_string(), last.to_string())
            }
        };
        let (unit, limit) = match budget.limit {
            Limit::Usd(amount) => (Unit::Dollars, dollars_text(amount)),
            Limit::Tokens(tokens) => {
                (Unit::Tokens, group_thousands(&tokens.to_string()))
            }
        };
        BudgetForm {
            connection_id: budget.connection_id.clone(),
            scope: budget.scope.clone(),
            every,
            week_start,
            first,
            last,
            zone: budget.zone.clone(),
            unit,
            limit,
            thresholds: thresholds_text(&budget.thresholds),
            paused: budget.paused,
        }
    }

    /// The budget the form describes, under `id`, made at `created_at`.
    pub fn budget(
        &self,
        id: &str,
        created_at: i64,
    ) -> Result<Budget, BudgetFormError> {
        if scope_is_blank(&self.scope) {
            return Err(BudgetFormError::NoScope);
        }
        let limit = match self.unit {
            Unit::Dollars => Limit::Usd(parse_dollars(&self.limit)?),
            Unit::Tokens => Limit::Tokens(parse_tokens(&self.limit)?),
        };
        let zone = match self.zone.trim() {
            "" => UTC,
            zone => zone,
        };
        Ok(Budget {
            id: id.to_owned(),
            connection_id: self.connection_id.clone(),
            scope: self.scope.clone(),
            period: self.period()?,
            zone: zone.to_owned(),
            limit,
            thresholds: parse_thresholds(&self.thresholds)?,
            paused: self.paused,
            created_at,
        })
    }

    fn period(&self) -> Result<Period, BudgetFormError> {
        Ok(match self.every {
            Every::Day => Period::Day,
            Every::Week if self.week_start > 6 => {
                return Err(BudgetFormError::WeekStart)
            }
            Every::Week => Period::Week {
                first_day: self.week_start,
            },
            Every::Month => Period::Month,
            Every::Custom => {
                let date = |text: &str, which| {
                    Date::parse(text).ok_or(BudgetFormError::BadDate(which))
                };
                let first = date(&self.first, "first")?;
                let last = date(&self.last, "last")?;
                if last < first {
                    return Err(BudgetFormError::Reversed);
                }
                Period::Custom { first, last }
            }
        })
    }
}

/// A monthly budget of `dollars` on `key` with the default thresholds,
/// as a preset button makes it.
pub fn preset_budget(
    dollars: u64,
    key: &ApiKey,
    zone: &str,
    id: &str,
    created_at: i64,
) -> Budget {
    Budget {
        id: id.to_owned(),
        connection_id: key.connection_id.clone(),
        scope: Scope::Key { id: key.id.clone() },
        period: Period::Month,
        zone: zone.to_owned(),
        limit: Limit::Usd(Usd(u128::from(dollars) * PICO_PER_DOLLAR)),
        thresholds: DEFAULT_THRESHOLDS.to_vec(),
        paused: false,
        created_at,
    }
}

/// Reads thresholds in percent, separated by commas, semicolons or
/// spaces, with or without `%` (`50, 80, 100`, `80% 50%`), into whole
/// percents from 1 to 1,000, ascending and each once.
pub fn parse_thresholds(text: &str) -> Result<Vec<u32>, ThresholdsError> {
    let mut thresholds = Vec::new();
    let words = text
        .split(|c: char| c == ',' || c == ';' || c == '%' || c.is_whitespace())
        .filter(|word| !word.is_empty());
    for word in words {
        if !word.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ThresholdsError::NotANumber(word.to_owned()));
        }
        let threshold = word
            .parse::<u32>()
            .ok()
            .filter(|t| (1..=MAX_THRESHOLD).contains(t))
            .ok_or_else(|| ThresholdsError::OutOfRange(word.to_owned()))?;
        thresholds.push(threshold);
    }
    if thresholds.is_empty() {
        return Err(ThresholdsError::Empty);
    }
    thresholds.sort_unstable();
    thresholds.dedup();
    Ok(thresholds)
}

/// `50, 80, 100`: thresholds as the form shows them.
pub fn thresholds_text(thresholds: &[u32]) -> String {
    let words: Vec<String> = thresholds.iter().map(u32::to_string).collect();
    words.join(", ")
}

/// Reads a dollar limit (`$50`, `50.5`, `1,000`, `$1,000.25`) exactly.
/// Digit groups must hold three digits, so that `50,5`, which may mean
/// 50.5 where the comma is the decimal mark, is refused rather than
/// read as 505.
pub fn parse_dollars(text: &str) -> Result<Usd, LimitError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(LimitError::Empty);
    }
    let not_an_amount = || LimitError::NotAnAmount(text.to_owned());
    // The sign may come before the dollar sign or after it, not both.
    let (before, rest) = strip_sign(text);
    let rest = rest.strip_prefix('$').map_or(rest, str::trim_start);
    let (after, unsigned) = strip_sign(rest);
    if before && after {
        return Err(not_an_amount());
    }
    let negative = before || after;

    let amount = picodollars(unsigned).ok_or_else(not_an_amount)??;
    match amount {
        _ if negative && amount > 0 => Err(LimitError::Negative),
        0 => Err(LimitError::Zero),
        _ if amount > u128::from(MAX_DOLLARS) * PICO_PER_DOLLAR => {
            Err(LimitError::TooManyDollars)
        }
        _ => Ok(Usd(amount)),
    }
}

/// The picodollars of an unsigned amount (`1,000.5`); `None` when it is
/// not one, an error when it is one no limit can be.
fn picodollars(text: &str) -> Option<Result<u128, LimitError>> {
    let (whole, cents) = text.split_once('.').unwrap_or((text, ""));
    let cents_are_digits = cents.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && cents.is_empty() || !cents_are_digits {
        return None;
    }
    let whole = match whole {
        "" => "0".to_owned(),
        grouped => digits(grouped)?,
    };
    if cents.len() > 2 {
        return Some(Err(LimitError::TooPrecise));
    }

    let cents = format!("{cents:0<2}").parse::<u128>().unwrap_or(0);
    let pico = whole
        .parse::<u128>()
        .ok()
        .and_then(|dollars| dollars.checked_mul(PICO_PER_DOLLAR))
        .and_then(|pico| pico.checked_add(cents * PICO_PER_CENT));
    Some(pico.ok_or(LimitError::TooManyDollars))
}

/// Reads a token limit: whole tokens, digits grouped by three or not
/// (`2,000,000`, `2000000`, `2 000 000`), `tokens` after them allowed.
pub fn parse_tokens(text: &str) -> Result<u64, LimitError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(LimitError::Empty);
    }
    let count = text
        .strip_suffix("tokens")
        .or_else(|| text.strip_suffix("token"))
        .unwrap_or(text)
        .trim_end();
    let (negative, count) = strip_sign(count);
    let count = digits(count)
        .ok_or_else(|| LimitError::NotATokenCount(text.to_owned()))?;
    let tokens = count
        .parse::<u64>()
        .map_err(|_| LimitError::TooManyTokens)?;
    match tokens {
        _ if negative && tokens > 0 => Err(LimitError::Negative),
        0 => Err(LimitError::Zero),
        _ if tokens > MAX_TOKENS => Err(LimitError::TooManyTokens),
        _ => Ok(tokens),
    }
}

/// `50.00`: a dollar limit as the form shows it, without the sign.
fn dollars_text(amount: Usd) -> String {
    let text = amount.to_fixed(2);
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    format!("{}.{cents}", group_thousands(whole))
}

/// Whether `text` starts with a minus sign, and what follows it.
fn strip_sign(text: &str) -> (bool, &str) {
    match text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    }
}

/// The digits of `text`, a whole number with or without separators
/// between groups of three (`1,000,000`); `None` for anything else.
fn digits(text: &str) -> Option<String> {
    let groups: Vec<&str> = text.split(GROUP_SEPARATORS).collect();
    let all_digits = |group: &str| {
        !group.is_empty() && group.bytes().all(|b| b.is_ascii_digit())
    };
    let (head, rest) = groups.split_first()?;
    let well_grouped = rest.iter().all(|g| g.len() == 3)
        && (rest.is_empty() || head.len() <= 3);
    (groups.iter().all(|g| all_digits(g)) && well_grouped)
        .then(|| groups.concat())
}

fn scope_is_blank(scope: &Scope) -> bool {
    match scope {
        Scope::Organization => false,
        Scope::Project { id } | Scope::User { id } | Scope::Key { id } => {
            id.trim().is_empty()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo::demo_org;

    fn dollars(pico: u128) -> Result<Usd, LimitError> {
        Ok(Usd(pico))
    }

    #[test]
    fn thresholds_are_sorted_and_kept_once() {
        assert_eq!(parse_thresholds("50, 80, 100"), Ok(vec![50, 80, 100]));
        assert_eq!(parse_thresholds("100 80% 50 %;80"), Ok(vec![50, 80, 100]));
        assert_eq!(parse_thresholds(" 1000 ,1"), Ok(vec![1, 1_000]));
    }

    #[test]
    fn thresholds_that_are_not_whole_percents_in_range_are_refused() {
        use ThresholdsError::*;
        assert_eq!(parse_thresholds(""), Err(Empty));
        assert_eq!(parse_thresholds(" , %"), Err(Empty));
        assert_eq!(
            parse_thresholds("50, eighty"),
            Err(NotANumber("eighty".into()))
        );
        assert_eq!(parse_thresholds("50.5"), Err(NotANumber("50.5".into())));
        assert_eq!(parse_thresholds("-5"), Err(NotANumber("-5".into())));
        assert_eq!(parse_thresholds("0, 50"), Err(OutOfRange("0".into())));
        assert_eq!(parse_thresholds("1001"), Err(OutOfRange("1001".into())));
        let huge = "99999999999999999999";
        assert_eq!(parse_thresholds(huge), Err(OutOfRange(huge.into())));
        assert_eq!(
            OutOfRange("0".into()).to_string(),
            "0 % is out of range: thresholds go from 1 % to 1,000 %."
        );
    }

    #[test]
    fn dollar_limits_are_read_exactly() {
        let cent = 10_000_000_000;
        assert_eq!(parse_dollars("$50"), dollars(5_000 * cent));
        assert_eq!(parse_dollars("50.5"), dollars(5_050 * cent));
        assert_eq!(parse_dollars("1,000"), dollars(100_000 * cent));
        let many = dollars(123_456_789 * cent);
        assert_eq!(parse_dollars("$1,234,567.89"), many);
        assert_eq!(parse_dollars(" $ 1 234 567.89 "), many);
        assert_eq!(parse_dollars(".25"), dollars(25 * cent));
        assert_eq!(parse_dollars("0.01"), dollars(cent));
        assert_eq!(
            parse_dollars("1000000000"),
            dollars(100_000_000_000 * cent)
        );
    }

    #[test]
    fn dollar_limits_that_are_no_budget_are_refused() {
        use LimitError::*;
        let not = |t: &str| Err(NotAnAmount(t.into()));
        assert_eq!(parse_dollars(" "), Err(Empty));
        assert_eq!(parse_dollars("-5"), Err(Negative));
        assert_eq!(parse_dollars("$-5"), Err(Negative));
        assert_eq!(parse_dollars("-$5.00"), Err(Negative));
        assert_eq!(parse_dollars("0"), Err(Zero));
        assert_eq!(parse_dollars("$0.00"), Err(Zero));
        assert_eq!(parse_dollars("-0"), Err(Zero));
        assert_eq!(parse_dollars("50.555"), Err(TooPrecise));
        assert_eq!(parse_dollars("1000000000.01"), Err(TooManyDollars));
        assert_eq!(parse_dollars("9".repeat(60).as_str()), Err(TooManyDollars));
        assert_eq!(parse_dollars("50,5"), not("50,5"));
        assert_eq!(parse_dollars("1,00"), not("1,00"));
        assert_eq!(parse_dollars("1e3"), not("1e3"));
        assert_eq!(parse_dollars("fifty"), not("fifty"));
        assert_eq!(parse_dollars("$"), not("$"));
        assert_eq!(parse_dollars("."), not("."));
        assert_eq!(parse_dollars("--5"), not("--5"));
        assert_eq!(parse_dollars("5.-1"), not("5.-1"));
    }

    #[test]
    fn token_limits_are_whole_tokens_with_or_without_separators() {
        use LimitError::*;
        assert_eq!(parse_tokens("2,000,000"), Ok(2_000_000));
        assert_eq!(parse_tokens("2 000 000 tokens"), Ok(2_000_000));
        assert_eq!(parse_tokens("2000000"), Ok(2_000_000));
        assert_eq!(parse_tokens("1 token"), Ok(1));
        assert_eq!(parse_tokens(""), Err(Empty));
        assert_eq!(parse_tokens("0"), Err(Zero));
        assert_eq!(parse_tokens("-10"), Err(Negative));
        assert_eq!(parse_tokens("2M"), Err(NotATokenCount("2M".into())));
        assert_eq!(parse_tokens("2.5"), Err(NotATokenCount("2.5".into())));
        assert_eq!(parse_tokens("20,00"), Err(NotATokenCount("20,00".into())));
        assert_eq!(parse_tokens("1,000,000,000,000,001"), Err(TooManyTokens));
        assert_eq!(parse_tokens("99999999999999999999999"), Err(TooManyTokens));
    }

    fn form() -> BudgetForm {
        BudgetForm {
            connection_id: "c".into(),
            scope: Scope::Key { id: "key_a".into() },
            limit: "$50".into(),
            zone: "Europe/Berlin".into(),
            ..BudgetForm::default()
        }
    }

    #[test]
    fn a_filled_form_makes_a_budget() {
        let budget = form().budget("b1", 42).expect("a budget");
        assert_eq!(budget.id, "b1");
        assert_eq!(budget.created_at, 42);
        assert_eq!(budget.period, Period::Month);
        assert_eq!(budget.limit, Limit::Usd(Usd(50_000_000_000_000)));
        assert_eq!(budget.thresholds, DEFAULT_THRESHOLDS);
        assert_eq!(budget.zone, "Europe/Berlin");
        assert!(!budget.paused);

        let tokens = BudgetForm {
            unit: Unit::Tokens,
            limit: "2,000,000".into(),
            every: Every::Week,
            week_start: 6,
            thresholds: "90".into(),
            zone: " ".into(),
            ..form()
        };
        let budget = tokens.budget("b2", 0).expect("a budget");
        assert_eq!(budget.limit, Limit::Tokens(2_000_000));
        assert_eq!(budget.period, Period::Week { first_day: 6 });
        assert_eq!(budget.thresholds, [90]);
        assert_eq!(budget.zone, "UTC");
    }

    #[test]
    fn each_bad_field_says_what_to_do() {
        let bad = |form: BudgetForm| form.budget("b", 0).unwrap_err();
        let limit = BudgetForm {
            limit: "0".into(),
            ..form()
        };
        assert_eq!(bad(limit), BudgetFormError::Limit(LimitError::Zero));
        let thresholds = BudgetForm {
            thresholds: "".into(),
            ..form()
        };
        assert_eq!(
            bad(thresholds).to_string(),
            "Type at least one threshold in percent, like 50, 80, 100."
        );
        let custom = BudgetForm {
            every: Every::Custom,
            first: "2026-02-01".into(),
            last: "2026-02-30".into(),
            ..form()
        };
        assert_eq!(bad(custom.clone()), BudgetFormError::BadDate("last"));
        let reversed = BudgetForm {
            last: "2026-01-31".into(),
            ..custom
        };
        assert_eq!(bad(reversed), BudgetFormError::Reversed);
        let week = BudgetForm {
            every: Every::Week,
            week_start: 7,
            ..form()
        };
        assert_eq!(bad(week), BudgetFormError::WeekStart);
        let nobody = BudgetForm {
            scope: Scope::Key { id: " ".into() },
            ..form()
        };
        assert_eq!(bad(nobody), BudgetFormError::NoScope);
    }

    #[test]
    fn a_budget_read_back_from_its_form_is_the_same_budget() {
        let custom = BudgetForm {
            every: Every::Custom,
            first: "2026-01-01".into(),
            last: "2026-01-31".into(),
            limit: "1,234.56".into(),
            thresholds: "25, 75".into(),
            paused: true,
            ..form()
        };
        let tokens = BudgetForm {
            unit: Unit::Tokens,
            limit: "2000000".into(),
            every: Every::Day,
            scope: Scope::Organization,
            ..form()
        };
        for form in [form(), custom, tokens] {
            let budget = form.budget("b", 7).expect("a budget");
            let again = BudgetForm::of(&budget).budget("b", 7);
            assert_eq!(again, Ok(budget));
        }
        let shown = BudgetForm::of(&form().budget("b", 0).expect("a budget"));
        assert_eq!(
            (shown.limit.as_str(), shown.thresholds.as_str()),
            ("50.00", "50, 80, 100")
        );
    }

    #[test]
    fn presets_make_monthly_dollar_budgets_on_a_key() {
        let org = demo_org("c", Date::new(2026, 5, 10), 1);
        let key = &org.keys[0];
        let labels: Vec<_> = PRESETS.iter().map(|(label, _)| *label).collect();
        assert_eq!(labels, ["$10 a month", "$50 a month", "$100 a month"]);
        let (_, fifty) = PRESETS[1];
        let budget = preset_budget(fifty, key, "Asia/Kolkata", "b", 9);
        assert_eq!(budget.scope, Scope::Key { id: key.id.clone() });
        assert_eq!(budget.connection_id, "c");
        assert_eq!(budget.period, Period::Month);
        assert_eq!(budget.limit, Limit::Usd(parse_dollars("50").unwrap()));
        assert_eq!(budget.thresholds, DEFAULT_THRESHOLDS);
        assert_eq!(budget.zone, "Asia/Kolkata");
    }
}
