//! How `--memory` is shared during indexing, and the bound on documents waiting for the
//! writer.
//!
//! tantivy's writer takes documents through a channel of up to 10,000 of them, whatever their
//! size: when the writer's threads fall behind the readers, 10,000 web pages of several
//! fields each wait there (a 500 MB web archive indexed with `--memory 50` peaked at 233 MB of
//! anonymous memory). Each document handed to the writer is a [`QueuedDocument`] that counts
//! its bytes into a [`WriteQueue`] until the writer has indexed it (and dropped it); adding
//! waits while the queue holds its share of `--memory`.

use std::sync::{Arc, Condvar, Mutex};

use tantivy::TantivyDocument;
use tantivy::schema::document::{Document, Value};

/// Memory rasd takes besides its budget's parts: the program, the analyzers' word lists and
/// the glossary (measured: 19 MB for a search).
const PROCESS_MB: usize = 20;

/// What a writer thread takes beyond its arena: the segment it serializes when the arena is
/// full (sorted terms, fast fields, the doc store's compressor) and its allocator's heaps.
/// Measured on a 517 MB web archive: 61 MB at `--memory 50` with one thread and a 23 MB
/// arena, 113 MB at 100 with two of 32 MB.
const THREAD_MB: usize = 12;

/// How long adding waits for a queue that does not drain before giving the document anyway.
const STALLED: std::time::Duration = std::time::Duration::from_secs(10);

/// tantivy's least memory per indexing thread.
const MIN_THREAD_MB: usize = 15;

/// The least `--memory` that can be honored: the program, one writer thread at tantivy's
/// minimum with its own cost, and the reading and queue shares (measured: see the README's
/// web archive section).
pub const MIN_MEMORY_MB: usize = 64;

/// `--memory`, shared between what reads files, the documents waiting for the writer, and the
/// writer's threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryBudget {
    /// Bytes of files read at once (a chunk of files; a web archive's batch of records).
    pub read_bytes: usize,
    /// Bytes of documents waiting for the writer.
    pub queue_bytes: usize,
    /// The writer's arenas, shared by its threads (each thread also takes [`THREAD_MB`]).
    pub writer_bytes: usize,
    /// The writer's threads: as many as the cores, with an arena of at least 30 MB each.
    pub writer_threads: usize,
}

impl MemoryBudget {
    /// Shares `memory_mb`: a twentieth to the queue, a tenth to reading, the rest, after what
    /// the program itself takes, to the writer's threads, each its own cost and an arena (at
    /// least 15 MB; a second thread only when each arena gets 30 MB: one thread at
    /// `--memory 100`, two at 256 on two cores).
    pub fn new(memory_mb: usize) -> MemoryBudget {
        let mb = 1_000_000;
        let queue = (memory_mb / 20).max(1);
        let read = (memory_mb / 10).max(1);
        let writer = memory_mb.saturating_sub(PROCESS_MB + queue + read);
        // A small arena makes many small segments to merge: a thread more only when each
        // arena gets twice the minimum.
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let threads = (writer / (THREAD_MB + 2 * MIN_THREAD_MB)).clamp(1, cores.clamp(1, 8));
        let arenas = writer.saturating_sub(THREAD_MB * threads);
        MemoryBudget {
            read_bytes: read * mb,
            queue_bytes: queue * mb,
            writer_bytes: arenas.max(MIN_THREAD_MB * threads) * mb,
            writer_threads: threads,
        }
    }
}

/// The bytes of documents handed to the writer and not yet indexed, and how many may be.
///
/// A full queue makes the reading thread wait until the writer has drained half of it, not
/// only room for one more document: waking it for each indexed document cost a futex call
/// and a context switch per document (74,000 futex calls for 20,000 articles).
#[derive(Debug, Clone)]
pub struct WriteQueue {
    shared: Arc<Shared>,
}

/// What a queue and its documents share.
#[derive(Debug, Default)]
struct Shared {
    limit: usize,
    state: Mutex<State>,
    drained: Condvar,
}

/// The queue's count, under its lock.
#[derive(Debug, Default)]
struct State {
    /// Bytes of the documents admitted and not dropped yet.
    bytes: usize,
    /// The threads waiting in [`WriteQueue::admit`]: documents dropped meanwhile wake them
    /// once the queue is down to [`Shared::resume_at`], and no one otherwise. (The indexer
    /// admits from one thread; a count keeps a second admitting thread from missing its
    /// wake-up and waiting out [`STALLED`].)
    waiting: usize,
}

impl Shared {
    /// The bytes a full queue drains down to before adding goes on.
    fn resume_at(&self) -> usize {
        self.limit / 2
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl WriteQueue {
    /// A queue of at most `limit` bytes (one document larger than that goes alone).
    pub fn new(limit: usize) -> WriteQueue {
        WriteQueue {
            shared: Arc::new(Shared {
                limit,
                ..Shared::default()
            }),
        }
    }

    /// `doc`, counted in the queue until it is dropped. When it does not fit, waits first
    /// until the queue is down to half (and the document fits, or the queue is empty).
    pub fn admit(&self, doc: TantivyDocument) -> QueuedDocument {
        let bytes = approximate_size(&doc);
        let shared = &*self.shared;
        let mut state = shared.lock();
        if state.bytes > 0 && state.bytes + bytes > shared.limit {
            let mut last = state.bytes;
            while state.bytes > 0
                && (state.bytes > shared.resume_at() || state.bytes + bytes > shared.limit)
            {
                state.waiting += 1;
                let (next, waited) = shared
                    .drained
                    .wait_timeout(state, STALLED)
                    .unwrap_or_else(|e| e.into_inner());
                state = next;
                state.waiting -= 1;
                // Nothing indexed for that long: the writer's threads failed, and the document
                // goes to the writer, which reports why.
                if waited.timed_out() && state.bytes >= last {
                    break;
                }
                last = state.bytes;
            }
        }
        state.bytes += bytes;
        QueuedDocument {
            doc,
            bytes,
            queue: Arc::clone(&self.shared),
        }
    }

    /// Bytes queued now.
    #[cfg(test)]
    fn queued(&self) -> usize {
        self.shared.lock().bytes
    }
}

/// About the bytes a document holds: its text and 8 bytes a value.
fn approximate_size(doc: &TantivyDocument) -> usize {
    doc.iter_fields_and_values()
        .map(|(_, value)| value.as_str().map_or(8, |s| s.len() + 8))
        .sum()
}

/// A document on its way to the writer, counted in its [`WriteQueue`] until dropped.
#[derive(Debug)]
pub struct QueuedDocument {
    doc: TantivyDocument,
    bytes: usize,
    queue: Arc<Shared>,
}

impl Drop for QueuedDocument {
    fn drop(&mut self) {
        let shared = &*self.queue;
        let mut state = shared.lock();
        state.bytes = state.bytes.saturating_sub(self.bytes);
        if state.waiting > 0 && state.bytes <= shared.resume_at() {
            shared.drained.notify_all();
        }
    }
}

impl Document for QueuedDocument {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> TantivyDocument {
        let mut schema = tantivy::schema::Schema::builder();
        let field = schema.add_text_field("t", tantivy::schema::TEXT);
        let mut doc = TantivyDocument::default();
        doc.add_text(field, text);
        doc
    }

    #[test]
    fn the_budget_adds_up_to_the_memory_given() {
        for memory in [MIN_MEMORY_MB, 100, 256, 1000, 4000] {
            let budget = MemoryBudget::new(memory);
            let threads = budget.writer_threads;
            let parts = budget.read_bytes
                + budget.queue_bytes
                + budget.writer_bytes
                + (PROCESS_MB + THREAD_MB * threads) * 1_000_000;
            assert!(budget.writer_bytes >= MIN_THREAD_MB * 1_000_000 * threads);
            assert!(parts <= memory * 1_000_000, "{memory}: {budget:?}");
        }
        assert_eq!(MemoryBudget::new(100).writer_threads, 1);
        // Below the minimum, tantivy's least arena still comes out.
        assert_eq!(
            MemoryBudget::new(15).writer_bytes,
            MIN_THREAD_MB * 1_000_000
        );
    }

    /// Admits `text`'s document on a thread of its own, as the reading thread would.
    struct Admitting {
        thread: std::thread::JoinHandle<QueuedDocument>,
        admitted: std::sync::mpsc::Receiver<()>,
    }

    impl Admitting {
        fn start(queue: &WriteQueue, text: String) -> Admitting {
            let (sent, admitted) = std::sync::mpsc::channel();
            let queue = queue.clone();
            let thread = std::thread::spawn(move || {
                let queued = queue.admit(doc(&text));
                sent.send(()).unwrap();
                queued
            });
            Admitting { thread, admitted }
        }

        /// Whether it still waits 200 ms later.
        fn still_waits(&self) -> bool {
            self.admitted
                .recv_timeout(std::time::Duration::from_millis(200))
                .is_err()
        }

        /// The document, once admitted.
        fn admitted(self) -> QueuedDocument {
            self.admitted.recv().unwrap();
            self.thread.join().unwrap()
        }
    }

    /// A full queue goes on only once the writer has drained half of it, so that the reading
    /// thread is not woken for each document.
    #[test]
    fn a_full_queue_waits_until_half_of_it_is_drained() {
        let queue = WriteQueue::new(100);
        // 20 bytes each: 12 of text and 8 for the value.
        let mut admitted: Vec<QueuedDocument> =
            (0..5).map(|_| queue.admit(doc(&"a".repeat(12)))).collect();
        assert_eq!(queue.queued(), 100);
        let next = Admitting::start(&queue, "b".repeat(12));
        assert!(next.still_waits());
        // Room for the document, but the queue is not down to half yet.
        admitted.pop();
        assert!(next.still_waits());
        admitted.pop();
        assert!(next.still_waits());
        // 40 bytes left: it goes on.
        admitted.pop();
        let next = next.admitted();
        assert_eq!(queue.queued(), 60);
        drop(next);
        drop(admitted);
        assert_eq!(queue.queued(), 0);
    }

    /// Two threads waiting on a full queue both go on once it is drained, well before
    /// [`STALLED`]. (The race the waiter count closes, a thread leaving the loop and clearing a
    /// flag another had just set, cannot be forced from a test; this checks that every
    /// counted waiter is woken.)
    #[test]
    fn every_waiting_thread_is_woken() {
        let queue = WriteQueue::new(100);
        let admitted: Vec<QueuedDocument> =
            (0..5).map(|_| queue.admit(doc(&"a".repeat(12)))).collect();
        let first = Admitting::start(&queue, "b".repeat(12));
        let second = Admitting::start(&queue, "c".repeat(12));
        assert!(first.still_waits() && second.still_waits());
        drop(admitted);
        for waiting in [first, second] {
            waiting
                .admitted
                .recv_timeout(STALLED / 2)
                .expect("woken, not timed out");
            drop(waiting.thread.join().unwrap());
        }
        assert_eq!(queue.queued(), 0);
    }

    /// Adding waits while the queue is full, and goes on once the writer drops a document.
    #[test]
    fn a_full_queue_waits_for_the_writer() {
        let queue = WriteQueue::new(100);
        let first = queue.admit(doc(&"a".repeat(80)));
        assert_eq!(queue.queued(), 88);
        let second = Admitting::start(&queue, "b".repeat(50));
        // Still waiting: the first document has not been indexed.
        assert!(second.still_waits());
        drop(first);
        let second = second.admitted();
        assert_eq!(queue.queued(), 58);
        drop(second);
        assert_eq!(queue.queued(), 0);
        // A document larger than the queue goes alone.
        let large = queue.admit(doc(&"c".repeat(1000)));
        assert_eq!(queue.queued(), 1008);
        drop(large);
    }
}
