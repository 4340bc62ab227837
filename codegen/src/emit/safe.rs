//! Emits the safe layer: one module per control code with its error enum (from the spec's error
//! table) and its wrappers. Wrappers contain no `unsafe`: they encode buffers and call the crate's
//! audited `call` module.

use super::text::{self, Lang};
use super::{rust_file, spec_path};
use crate::GeneratedFile;
use crate::ctypes::SafeScalar;
use crate::ir::{BufferKind, Code, Ir};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

const DIR: &str = "bindings/winsock-ioctl/src/generated";

pub(crate) fn emit(ir: &Ir) -> Vec<GeneratedFile> {
    let mut files: Vec<GeneratedFile> =
        ir.codes.iter().map(|c| rust_file(format!("{DIR}/{}.rs", c.module), &spec_path(&c.name), code_module(c))).collect();
    files.push(rust_file(format!("{DIR}/mod.rs"), "metadata/", module(ir)));
    files
}

fn module(ir: &Ir) -> TokenStream {
    let mods = ir.codes.iter().map(|c| {
        let m = format_ident!("{}", c.module);
        let doc = format!(" `{}`: {}", c.name, c.summary.en);
        let doc_tokens = super::doc(&doc);
        quote! {
            #doc_tokens
            pub mod #m;
        }
    });
    let uses = ir.codes.iter().map(|c| {
        let m = format_ident!("{}", c.module);
        quote!(pub use #m::*;)
    });
    let rows = ir.catalogue.iter().map(|e| error_row(&e.name, e.value, &e.text));
    quote! {
        //! One module per control code; `lib.rs` re-exports their items.
        #(#mods)*
        #(#uses)*
        /// The generic meaning of every Windows Sockets error code, sorted by value.
        pub(crate) const CATALOGUE: &[crate::ErrorRow] = &[#(#rows),*];
    }
}

/// One `crate::ErrorRow` literal.
fn error_row(name: &str, value: i32, text: &crate::ir::Text) -> TokenStream {
    let (en, ja) = (&text.en, &text.ja);
    quote!(crate::ErrorRow { name: #name, value: #value, meaning: #en, meaning_ja: #ja })
}

fn code_module(c: &Code) -> TokenStream {
    let error = error_enum(c);
    let wrappers = wrappers(c);
    let doc = format!(" Safe bindings for `{}` (`{:#010x}`). {}", c.name, c.value, c.summary.en);
    let doc_inner = super::inner_doc(&doc);
    quote! {
        #doc_inner
        #error
        #wrappers
    }
}

fn error_enum(c: &Code) -> TokenStream {
    let ty = format_ident!("{}", c.error_type);
    let code_const = format_ident!("{}", c.name);
    let name = &c.name;
    let variants = c.errors.iter().map(|r| {
        let v = format_ident!("{}", r.variant);
        let doc = format!(" `{}` ({}): {}", r.name, r.value, r.text.en);
        let doc_tokens = super::doc(&doc);
        quote! {
            #doc_tokens
            #v
        }
    });
    let from_arms = c.errors.iter().map(|r| {
        let v = format_ident!("{}", r.variant);
        let k = format_ident!("{}", r.name);
        quote!(sys::#k => Self::#v)
    });
    let to_arms = c.errors.iter().map(|r| {
        let v = format_ident!("{}", r.variant);
        let k = format_ident!("{}", r.name);
        quote!(Self::#v => Some(sys::#k))
    });
    let rows = c.errors.iter().map(|r| error_row(&r.name, r.value, &r.text));
    let doc = format!(
        " Errors of [`{name}`](sys::{name}), one variant per row of its documented error table.\n\n\
         The doc of each variant is what the error means for this control code. A code outside the\n\
         table becomes [`Unlisted`]({}::Unlisted) with the raw value kept. Converts into\n\
         [`std::io::Error`] with `raw_os_error()` preserved.\n\n{}",
        c.error_type,
        text::error_table(c, Lang::En)
    );
    let doc_tokens = super::doc(&doc);
    quote! {
        use winsock_ioctl_sys as sys;

        #doc_tokens
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #ty {
            #(#variants,)*
            /// A Winsock error code that is not in this control code's table; the raw value is kept.
            Unlisted(i32),
            /// The call reported success but returned a byte count other than the buffer's size.
            UnexpectedLength {
                /// Bytes the buffer type needs.
                expected: usize,
                /// Bytes the provider reported.
                returned: usize,
            },
        }

        impl crate::ControlCodeError for #ty {
            const CODE: u32 = sys::#code_const;
            const NAME: &'static str = #name;
            const TABLE: &'static [crate::ErrorRow] = &[#(#rows),*];

            fn from_raw_os_error(code: i32) -> Self {
                match code {
                    #(#from_arms,)*
                    other => Self::Unlisted(other),
                }
            }

            fn raw_os_error(&self) -> Option<i32> {
                match self {
                    #(#to_arms,)*
                    Self::Unlisted(code) => Some(*code),
                    Self::UnexpectedLength { .. } => None,
                }
            }

            fn unexpected_length(expected: usize, returned: usize) -> Self {
                Self::UnexpectedLength { expected, returned }
            }
        }

        impl #ty {
            /// Maps a raw `WSAGetLastError` value; codes outside the table become `Unlisted`.
            pub fn from_raw_os_error(code: i32) -> Self {
                <Self as crate::ControlCodeError>::from_raw_os_error(code)
            }

            /// The raw Winsock error code, if this error carries one.
            pub fn raw_os_error(&self) -> Option<i32> {
                <Self as crate::ControlCodeError>::raw_os_error(self)
            }

            /// This control code's documented error table, in document order.
            pub const TABLE: &'static [crate::ErrorRow] = <Self as crate::ControlCodeError>::TABLE;
        }

        impl core::fmt::Display for #ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                crate::error::display(self, f)
            }
        }

        impl std::error::Error for #ty {}

        impl From<#ty> for std::io::Error {
            fn from(e: #ty) -> Self {
                crate::error::into_io(e)
            }
        }
    }
}

fn doc_lines(lines: &[String]) -> String {
    lines.iter().map(|l| format!(" - {l}")).collect::<Vec<_>>().join("\n")
}

fn wrapper_doc(c: &Code, overlapped: bool) -> String {
    let mut d = format!(" `{}`\n\n {}\n", text::c_call(c, overlapped), c.summary.en);
    if let Some(dep) = text::deprecation(c, Lang::En) {
        d.push_str(&format!("\n {dep}\n"));
    }
    if let (Some(t), true) = (&c.input.text, c.input.is_used()) {
        d.push_str(&format!("\n Input `{}`: {}\n", c.input.name.as_deref().unwrap_or("input"), t.en));
    }
    if let (Some(t), true) = (&c.output.text, c.output.is_used()) {
        d.push_str(&format!("\n Returns: {}\n", t.en));
    }
    d.push_str("\n # Blocking\n\n");
    if c.has_overlapped_form() {
        if overlapped {
            d.push_str(" This form returns at once with a [`Pending`](crate::Pending) request that can be waited on with\n a timeout and cancelled; dropping it cancels the request and waits for the kernel to let go\n of its buffers. The socket must have been created overlapped (std, socket2 and tokio sockets are).\n\n");
        } else {
            d.push_str(" This form **blocks the calling thread** until the request completes.\n\n");
        }
    }
    d.push_str(&doc_lines(&text::blocking(c, Lang::En)));
    d.push_str("\n\n # Applies to\n\n");
    d.push_str(&doc_lines(&text::applicability(c, Lang::En)));
    d.push_str("\n\n # Errors\n\n");
    d.push_str(text::error_table(c, Lang::En).trim_end());
    d.push_str(&format!(
        "\n\n Codes outside this table are returned as [`{0}::Unlisted`]; a byte count that does not\n match the buffer is [`{0}::UnexpectedLength`].\n\n # Requirements\n\n",
        c.error_type
    ));
    d.push_str(&doc_lines(&text::requirements(c, Lang::En)));
    let notes = text::notes(c, Lang::En);
    if !notes.is_empty() {
        d.push_str("\n\n # Notes\n\n");
        d.push_str(&doc_lines(&notes));
    }
    d.push_str(&format!("\n\n Spec: `{}`.", spec_path(&c.name)));
    d
}

fn wrappers(c: &Code) -> TokenStream {
    let ty = format_ident!("{}", c.error_type);
    let code_const = format_ident!("{}", c.name);
    let alias = &c.name;
    let helper_aliases = c.inline_helpers.iter().map(|(f, _)| quote!(#[doc(alias = #f)]));
    let helper_aliases2 = helper_aliases.clone();
    let deprecated = c.deprecation.as_ref().map(|d| {
        let note = d.reason.en.clone();
        quote!(#[deprecated(note = #note)])
    });

    // Input parameter and its encoding.
    let (param, encode) = match (c.input.kind, c.input.ty) {
        (BufferKind::Value, Some(t)) => {
            let n = format_ident!("{}", c.input.name.as_deref().unwrap_or("input"));
            match t.safe {
                SafeScalar::Bool => (quote!(, #n: bool), quote!(let input = crate::buf::encode_bool(#n);)),
                SafeScalar::U32 => (quote!(, #n: u32), quote!(let input = #n.to_ne_bytes();)),
                SafeScalar::I32 => (quote!(, #n: i32), quote!(let input = #n.to_ne_bytes();)),
                SafeScalar::U16 => (quote!(, #n: u16), quote!(let input = #n.to_ne_bytes();)),
                SafeScalar::U64 => (quote!(, #n: u64), quote!(let input = #n.to_ne_bytes();)),
            }
        }
        _ => (quote!(), quote!(let input: [u8; 0] = [];)),
    };

    // Output type and decoding.
    let (ret, out_len, decode) = match (c.output.kind, c.output.ty) {
        (BufferKind::Value, Some(t)) => {
            let n = t.size as usize;
            let (ret, conv) = match t.safe {
                SafeScalar::Bool => (quote!(bool), quote!(i32::from_ne_bytes(bytes) != 0)),
                SafeScalar::U32 => (quote!(u32), quote!(u32::from_ne_bytes(bytes))),
                SafeScalar::I32 => (quote!(i32), quote!(i32::from_ne_bytes(bytes))),
                SafeScalar::U16 => (quote!(u16), quote!(u16::from_ne_bytes(bytes))),
                SafeScalar::U64 => (quote!(u64), quote!(u64::from_ne_bytes(bytes))),
            };
            (ret, n, quote!(let bytes = crate::buf::exact::<#n, #ty>(returned)?; Ok(#conv)))
        }
        _ => (quote!(()), 0usize, quote!(crate::buf::exact::<0, #ty>(returned).map(|_| ()))),
    };

    let f = format_ident!("{}", c.function);
    let doc = wrapper_doc(c, false);
    let doc_tokens = super::doc(&doc);
    let sync = quote! {
        #doc_tokens
        #[doc(alias = #alias)]
        #(#helper_aliases)*
        #deprecated
        #[cfg(windows)]
        pub fn #f(socket: impl std::os::windows::io::AsSocket #param) -> Result<#ret, #ty> {
            #encode
            let mut output = [0u8; #out_len];
            let returned = crate::call::ioctl::<#ty>(socket.as_socket(), sys::#code_const, &input, &mut output)?;
            #decode
        }
    };
    if !c.has_overlapped_form() {
        return sync;
    }
    let fo = format_ident!("{}_overlapped", c.function);
    let doc_o = wrapper_doc(c, true);
    let doc_o_tokens = super::doc(&doc_o);
    quote! {
        #sync

        #doc_o_tokens
        #[doc(alias = #alias)]
        #(#helper_aliases2)*
        #deprecated
        #[cfg(windows)]
        pub fn #fo<S: std::os::windows::io::AsSocket>(socket: S #param) -> Result<crate::Pending<S, #ty>, #ty> {
            #encode
            crate::Pending::start(socket, sys::#code_const, &input, #out_len)
        }
    }
}
