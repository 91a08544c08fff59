//! The binary's allocator: the system's for every command, mimalloc once indexing starts.
//!
//! Indexing frees large buffers on other threads than those that allocated them, and glibc's
//! allocator then keeps growing with the archive (peak RSS 349 MB against mimalloc's 175 MB
//! on the benchmark's 200,000 articles, past `--memory`'s default budget). A search is a short
//! process that allocates little, and there mimalloc's first use costs more than it saves:
//! fresh pages whose free lists it writes out at once, and its arena set up, made a `rasd
//! search` process with no hits about 15% slower (README, *A sixth pass*).
//!
//! So allocations go to the system allocator until [`use_for_indexing`] switches them to
//! mimalloc, and every free goes to the allocator that owns the block, asked of mimalloc's
//! page map: a block allocated before the switch and freed after it (or the reverse) is
//! returned where it came from.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

use mimalloc::MiMalloc;

/// Whether new blocks come from mimalloc.
static MIMALLOC: AtomicBool = AtomicBool::new(false);

/// From now on, new blocks come from mimalloc: called before indexing starts.
pub fn use_for_indexing() {
    MIMALLOC.store(true, Ordering::Relaxed);
}

/// The system allocator, then mimalloc after [`use_for_indexing`].
pub struct Switching;

/// Whether mimalloc owns the block at `ptr`: a lookup in its page map, which answers no for
/// any address it never handed out.
fn mimalloc_owns(ptr: *mut u8) -> bool {
    // SAFETY: mi_is_in_heap_region only reads mimalloc's page map; any address may be asked.
    unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
}

// SAFETY: each block is freed or resized by the allocator that allocated it (`mimalloc_owns`),
// and both allocators meet `GlobalAlloc`'s contract on their own blocks.
unsafe impl GlobalAlloc for Switching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            unsafe { MiMalloc.alloc(layout) }
        } else {
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        } else {
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if mimalloc_owns(ptr) {
            unsafe { MiMalloc.dealloc(ptr, layout) }
        } else {
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if mimalloc_owns(ptr) {
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        } else {
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_is_freed_and_resized_by_the_allocator_that_made_it() {
        let layout = Layout::from_size_align(48, 16).unwrap();
        // SAFETY: each block is written within its size and freed once, with its layout.
        unsafe {
            let system = System.alloc(layout);
            let mimalloc = MiMalloc.alloc(layout);
            assert!(!mimalloc_owns(system));
            assert!(mimalloc_owns(mimalloc));
            system.write_bytes(7, 48);
            let grown = Switching.realloc(system, layout, 4096);
            assert_eq!(*grown.add(47), 7);
            assert!(!mimalloc_owns(grown));
            let grown_layout = Layout::from_size_align(4096, 16).unwrap();
            Switching.dealloc(grown, grown_layout);
            Switching.dealloc(mimalloc, layout);
        }
    }
}
