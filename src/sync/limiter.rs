//! How many requests a sync has in flight: a few at once, fewer after the
//! API says it is rate limiting.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use futures::channel::oneshot;

/// The most requests at once. OpenAI serves its API over HTTP/2, where
/// requests share one connection and each also waits for its own CORS
/// preflight, so a dozen keep the line busy while pages are stored; over
/// HTTP/1.1 the browser queues those beyond its six connections per
/// host. A 429 halves it (see `slow_down`).
pub const MAX_IN_FLIGHT: usize = 12;

/// A counting gate shared by a sync's streams. Waiters are let in first
/// come, first served, the moment a place frees up.
#[derive(Clone)]
pub struct Limiter(Rc<State>);

struct State {
    limit: Cell<usize>,
    in_flight: Cell<usize>,
    /// Whoever waits for a place, oldest first.
    waiting: RefCell<VecDeque<oneshot::Sender<()>>>,
}

/// A place in the gate, given back when dropped.
pub struct Permit(Limiter);

impl Drop for Permit {
    fn drop(&mut self) {
        let state = &(self.0).0;
        state.in_flight.set(state.in_flight.get() - 1);
        state.wake_next();
    }
}

impl State {
    fn has_room(&self) -> bool {
        self.in_flight.get() < self.limit.get()
    }

    /// Tells the oldest waiter still listening that it may try again.
    fn wake_next(&self) {
        if !self.has_room() {
            return;
        }
        let mut waiting = self.waiting.borrow_mut();
        while let Some(waiter) = waiting.pop_front() {
            if waiter.send(()).is_ok() {
                return;
            }
        }
    }
}

impl Limiter {
    pub fn new(limit: usize) -> Self {
        Limiter(Rc::new(State {
            limit: Cell::new(limit.max(1)),
            in_flight: Cell::new(0),
            waiting: RefCell::default(),
        }))
    }

    /// Waits for a free place. The page is single-threaded, so checking
    /// and taking a place cannot race.
    pub async fn acquire(&self) -> Permit {
        let state = &self.0;
        let mut first_try = true;
        // A newcomer queues behind earlier waiters; a waiter woken only to
        // find the place taken again keeps its turn at the front.
        while !state.has_room()
            || (first_try && !state.waiting.borrow().is_empty())
        {
            let (wake, woken) = oneshot::channel();
            if first_try {
                state.waiting.borrow_mut().push_back(wake);
            } else {
                state.waiting.borrow_mut().push_front(wake);
            }
            first_try = false;
            // With room to spare, let the oldest waiter in: a waiter woken
            // earlier may have gone away without taking its place.
            state.wake_next();
            let _ = woken.await;
        }
        state.in_flight.set(state.in_flight.get() + 1);
        // Places may remain, as when two were freed before anyone ran.
        state.wake_next();
        Permit(self.clone())
    }

    /// Halves the places after a 429, down to one.
    pub fn slow_down(&self) {
        self.0.limit.set((self.0.limit.get() / 2).max(1));
    }
}
