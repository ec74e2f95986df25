//! How many requests a sync has in flight: a few at once, fewer after the
//! API says it is rate limiting.

use std::cell::Cell;
use std::rc::Rc;

use crate::api::client::sleep;

/// The most requests at once; browsers open six connections per host.
pub const MAX_IN_FLIGHT: usize = 6;

/// A counting gate shared by a sync's streams.
#[derive(Clone)]
pub struct Limiter(Rc<State>);

struct State {
    limit: Cell<usize>,
    in_flight: Cell<usize>,
}

/// A place in the gate, given back when dropped.
pub struct Permit(Limiter);

impl Drop for Permit {
    fn drop(&mut self) {
        let state = &(self.0).0;
        state.in_flight.set(state.in_flight.get() - 1);
    }
}

impl Limiter {
    pub fn new(limit: usize) -> Self {
        Limiter(Rc::new(State {
            limit: Cell::new(limit.max(1)),
            in_flight: Cell::new(0),
        }))
    }

    /// Waits for a free place. The page is single-threaded, so checking
    /// and taking a place cannot race.
    pub async fn acquire(&self) -> Permit {
        while self.0.in_flight.get() >= self.0.limit.get() {
            sleep(20).await;
        }
        self.0.in_flight.set(self.0.in_flight.get() + 1);
        Permit(self.clone())
    }

    /// Halves the places after a 429, down to one.
    pub fn slow_down(&self) {
        self.0.limit.set((self.0.limit.get() / 2).max(1));
    }
}
