//! What the progress display says while a sync runs.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Pages done and to go, what is being fetched, and any wait.
#[derive(Default)]
struct State {
    done: u32,
    total: u32,
    /// Streams being fetched now, by label.
    active: BTreeMap<String, ()>,
    /// Backoffs under way: seconds to wait, by the stream that waits.
    /// Kept per stream so one stream resuming does not hide another's wait.
    waiting: BTreeMap<String, u64>,
}

/// Shared by a sync's streams; every change is reported as one sentence.
#[derive(Clone)]
pub struct Tracker {
    state: Rc<RefCell<State>>,
    report: Rc<dyn Fn(String)>,
}

impl Tracker {
    pub fn new(report: impl Fn(String) + 'static) -> Self {
        Tracker {
            state: Rc::default(),
            report: Rc::new(report),
        }
    }

    /// Says something before the page count is known.
    pub fn say(&self, text: &str) {
        (self.report)(text.to_owned());
    }

    pub fn plan(&self, pages: u32) {
        self.state.borrow_mut().total = pages;
        self.emit();
    }

    pub fn start(&self, label: &str) {
        self.state.borrow_mut().active.insert(label.to_owned(), ());
        self.emit();
    }

    pub fn finish(&self, label: &str) {
        self.state.borrow_mut().active.remove(label);
        self.emit();
    }

    /// One page stored; a stream may need more pages than planned.
    pub fn page_done(&self) {
        {
            let mut state = self.state.borrow_mut();
            state.done += 1;
            state.total = state.total.max(state.done);
        }
        self.emit();
    }

    pub fn waiting(&self, label: &str, seconds: u64) {
        self.state
            .borrow_mut()
            .waiting
            .insert(label.to_owned(), seconds);
        self.emit();
    }

    pub fn resumed(&self, label: &str) {
        self.state.borrow_mut().waiting.remove(label);
        self.emit();
    }

    fn emit(&self) {
        let text = {
            let state = self.state.borrow();
            let pages = format!("page {} of {}", state.done, state.total);
            match state.waiting.iter().next() {
                Some((label, seconds)) => {
                    let others = match state.waiting.len() - 1 {
                        0 => String::new(),
                        n => format!(", {n} more waiting"),
                    };
                    format!(
                        "{label}: waiting {seconds} s before trying \
                         again… ({pages}{others})"
                    )
                }
                None => {
                    let names: Vec<&str> =
                        state.active.keys().map(String::as_str).collect();
                    let shown = match names.len() {
                        0 => "the last pages".to_owned(),
                        1 | 2 => names.join(" and "),
                        more => format!(
                            "{}, {} and {} more",
                            names[0],
                            names[1],
                            more - 2
                        ),
                    };
                    format!("Fetching {shown}… ({pages})")
                }
            }
        };
        (self.report)(text);
    }
}
