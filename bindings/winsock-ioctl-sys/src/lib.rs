//! Raw bindings for Windows Sockets control codes: `u32` constants for every specified code, the
//! opcode `const fn`s they are composed with, the WSA error codes, and the FFI declarations
//! (`WSAIoctl`, `WSAGetOverlappedResult`, `CancelIoEx`, … and `LPWSPIOCTL` / `WSATHREADID` for
//! service providers). No logic lives here.
//!
//! Everything under `generated/` is written by `cargo xtask gen`: constants from the TOML specs in
//! `metadata/`, FFI items by windows-bindgen from Microsoft's Win32 metadata.
//!
//! ```
//! use winsock_ioctl_sys::{opcode, SIO_ADDRESS_LIST_CHANGE};
//! assert_eq!(SIO_ADDRESS_LIST_CHANGE, opcode::_WSAIO(opcode::IOC_WS2, 23));
//! ```
#![no_std]
#![allow(non_camel_case_types, non_snake_case, clippy::upper_case_acronyms)]

pub mod opcode;

mod generated;
mod layout;

pub use generated::codes::*;
pub use generated::errors::*;
pub use generated::ffi::*;
pub use generated::types::*;
