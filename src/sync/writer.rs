//! One writer for all of a sync's streams. IndexedDB runs transactions
//! that write the same store one after another, so pages from streams
//! fetched side by side would queue for a transaction each. Instead, the
//! pages handed in while a transaction is running are written together
//! in the next one, and each stream learns how its page fared.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;

use crate::storage::{Db, Page, StorageError};

type Reply = oneshot::Sender<Result<(), StorageError>>;

/// Hands pages to IndexedDB, as many at a time as are waiting.
#[derive(Clone)]
pub struct Writer {
    db: Db,
    queue: Rc<RefCell<Queue>>,
}

#[derive(Default)]
struct Queue {
    waiting: Vec<(Page, Reply)>,
    /// Whether a transaction is under way; the task running it takes
    /// whatever waits when it ends.
    writing: bool,
}

impl Writer {
    pub fn new(db: &Db) -> Self {
        Writer {
            db: db.clone(),
            queue: Rc::default(),
        }
    }

    /// Stores `page` with the next transaction and waits for it.
    pub async fn write(&self, page: Page) -> Result<(), StorageError> {
        let (reply, replied) = oneshot::channel();
        let start = {
            let mut queue = self.queue.borrow_mut();
            queue.waiting.push((page, reply));
            !std::mem::replace(&mut queue.writing, true)
        };
        if start {
            // A task of its own, so a stream that stops waiting (a
            // cancelled sync) cannot strand the pages of the others.
            wasm_bindgen_futures::spawn_local(drain(
                self.db.clone(),
                self.queue.clone(),
            ));
        }
        replied.await.unwrap_or_else(|_| {
            Err(StorageError::Write("the write was abandoned".to_owned()))
        })
    }
}

/// Writes what waits, batch after batch, until nothing does.
async fn drain(db: Db, queue: Rc<RefCell<Queue>>) {
    loop {
        let batch = {
            let mut queue = queue.borrow_mut();
            let batch = std::mem::take(&mut queue.waiting);
            queue.writing = !batch.is_empty();
            batch
        };
        if batch.is_empty() {
            return;
        }
        let (pages, replies): (Vec<Page>, Vec<Reply>) =
            batch.into_iter().unzip();
        let outcome = db.store_pages(&pages).await;
        for reply in replies {
            // A stream that has gone away needs no answer.
            let _ = reply.send(outcome.clone());
        }
    }
}
