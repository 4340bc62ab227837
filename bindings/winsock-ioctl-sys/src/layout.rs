//! Compile-time layout checks of the windows-bindgen structs that callers fill in and hand to the
//! kernel. Sizes and offsets are those of the Windows SDK headers for each pointer width.

use crate::OVERLAPPED;
use core::mem::{offset_of, size_of};

#[cfg(target_pointer_width = "64")]
const _: () = {
    assert!(size_of::<OVERLAPPED>() == 32);
    assert!(offset_of!(OVERLAPPED, Internal) == 0);
    assert!(offset_of!(OVERLAPPED, InternalHigh) == 8);
    assert!(offset_of!(OVERLAPPED, hEvent) == 24);
};

#[cfg(target_pointer_width = "32")]
const _: () = {
    assert!(size_of::<OVERLAPPED>() == 20);
    assert!(offset_of!(OVERLAPPED, Internal) == 0);
    assert!(offset_of!(OVERLAPPED, InternalHigh) == 4);
    assert!(offset_of!(OVERLAPPED, hEvent) == 16);
};
