//! Encoding of typed values into input buffers and checked decoding of output buffers. Safe code:
//! the wrappers own plain byte arrays and never reinterpret memory.

use crate::ControlCodeError;

/// A Win32 `BOOL` (4 bytes, 0 or 1).
pub(crate) fn encode_bool(value: bool) -> [u8; 4] {
    i32::from(value).to_ne_bytes()
}

/// The returned bytes, which must be exactly `N` long.
pub(crate) fn exact<const N: usize, E: ControlCodeError>(returned: &[u8]) -> Result<[u8; N], E> {
    returned.try_into().map_err(|_| E::unexpected_length(N, returned.len()))
}
