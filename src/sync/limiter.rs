//! How many requests a sync has in flight: one until the API has taken
//! the key, then a few at once, fewer after the API says it is rate
//! limiting, and none once it has refused the key.

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
    /// The places once the API has answered a request with anything but
    /// a refusal of the key. Until then one request goes alone, so that
    /// a wrong or revoked key is told by one refused request, not by a
    /// dozen sent together.
    open_to: Cell<usize>,
    opened: Cell<bool>,
    /// The API refused the key: nothing more is worth sending.
    refused: Cell<bool>,
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
            limit: Cell::new(1),
            open_to: Cell::new(limit.max(1)),
            opened: Cell::new(false),
            refused: Cell::new(false),
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
        let state = &self.0;
        state.limit.set((state.limit.get() / 2).max(1));
        state.open_to.set((state.open_to.get() / 2).max(1));
    }

    /// The API took the key: the other places open.
    pub fn accepted(&self) {
        let state = &self.0;
        if !state.opened.replace(true) {
            state.limit.set(state.limit.get().max(state.open_to.get()));
            state.wake_next();
        }
    }

    /// The API refused the key; requests still waiting are not sent.
    pub fn refuse(&self) {
        self.0.refused.set(true);
    }

    pub fn is_refused(&self) -> bool {
        self.0.refused.get()
    }
}
