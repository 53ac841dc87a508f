//! The CLI's allocator: mimalloc 2.x through its plain entry points.
//!
//! The `mimalloc` crate's allocator asks for every block through `mi_malloc_aligned`, whose checks
//! cost more than the allocation itself on the checker's small blocks (BENCHMARKS.md, session 15).
//! Blocks whose alignment mimalloc gives anyway take `mi_malloc`, as Rust's own system allocator
//! does with `malloc`; larger alignments keep the aligned entry points.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment of every mimalloc block of at least this size (`MI_MAX_ALIGN_SIZE` on the
/// 64-bit targets the CLI is built for). Smaller blocks are aligned to 8 bytes, all that a layout
/// no larger than its size can ask for, since a size is a multiple of its alignment.
const PLAIN_ALIGN: usize = 16;

/// mimalloc, with the aligned entry points only where they are needed.
pub struct Mimalloc;

fn plain(align: usize, size: usize) -> bool {
    align <= PLAIN_ALIGN && align <= size
}

/// A new block for `layout` from `plain_fn` (size only) or `aligned_fn` (size, alignment).
///
/// # Safety
/// Both must be mimalloc's allocation entry points of one kind (zeroed or not).
unsafe fn new_block(
    layout: Layout,
    plain_fn: unsafe extern "C" fn(usize) -> *mut c_void,
    aligned_fn: unsafe extern "C" fn(usize, usize) -> *mut c_void,
) -> *mut u8 {
    let p = if plain(layout.align(), layout.size()) {
        plain_fn(layout.size())
    } else {
        aligned_fn(layout.size(), layout.align())
    };
    debug_assert_eq!(p as usize % layout.align(), 0);
    p.cast()
}

// SAFETY: every method forwards to mimalloc, which returns blocks of at least the requested size
// aligned as `plain` assumes (or null when out of memory), and frees what it allocated.
unsafe impl GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        new_block(layout, mi::mi_malloc, mi::mi_malloc_aligned)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        new_block(layout, mi::mi_zalloc, mi::mi_zalloc_aligned)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi::mi_free(ptr.cast::<c_void>());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = if plain(layout.align(), new_size) {
            mi::mi_realloc(ptr.cast::<c_void>(), new_size)
        } else {
            mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align())
        };
        debug_assert_eq!(p as usize % layout.align(), 0);
        p.cast()
    }
}
