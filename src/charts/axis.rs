//! The category axis: category `i` owns the slot `i..i + 1`, and only
//! the chosen categories get a tick and a label, in the middle of their
//! slot. plotters' own numeric axes pick round numbers instead.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// Positions along x, in slots.
#[derive(Clone, Debug)]
pub struct Categories {
    slots: f64,
    ticks: Vec<f64>,
}

impl Categories {
    /// An axis of `slots` slots (at least one) with labels at the
    /// `labelled` category indices.
    pub fn new(slots: usize, labelled: &[usize]) -> Self {
        Categories {
            slots: slots.max(1) as f64,
            ticks: labelled.iter().map(|i| *i as f64 + 0.5).collect(),
        }
    }
}

impl Ranged for Categories {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let share = value / self.slots;
        limit.0 + (share * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Light points would be unlabelled grid lines between slots.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        0.0..self.slots
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::coord::ranged1d::BoldPoints;

    #[test]
    fn ticks_sit_in_the_middle_of_their_slot() {
        let axis = Categories::new(4, &[1, 3]);
        assert_eq!(axis.key_points(BoldPoints(10)), [1.5, 3.5]);
        assert_eq!(axis.map(&1.5, (0, 400)), 150);
        assert_eq!(axis.map(&4.0, (100, 500)), 500);
    }

    #[test]
    fn no_categories_still_make_one_slot() {
        assert_eq!(Categories::new(0, &[]).range(), 0.0..1.0);
    }
}
