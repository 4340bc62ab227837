//! Emits the safe layer: one module per control code with its error enum (from the spec's error
//! table) and its wrappers. Wrappers contain no `unsafe`: they encode buffers and call the crate's
//! audited `call` module.

use super::text::{self, Lang};
use super::{rust_file, spec_path};
use crate::GeneratedFile;
use crate::ctypes::SafeScalar;
use crate::ir::{ChoiceInput, ChoiceOutput, Code, FieldType, Ir, Shape};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

const DIR: &str = "bindings/winsock-ioctl/src/generated";

/// The module of each of `codes` (undocumented codes have no error table and no wrapper:
/// nothing in the safe layer).
pub(crate) fn emit_codes(ir: &Ir, codes: &[crate::ir::Code]) -> Vec<GeneratedFile> {
    codes
        .iter()
        .filter(|c| c.documented)
        .map(|c| rust_file(format!("{DIR}/{}.rs", c.module), &spec_path(&c.name), code_module(ir, c)))
        .collect()
}

/// `mod.rs` and `types.rs`.
pub(crate) fn emit_common(ir: &Ir) -> Vec<GeneratedFile> {
    let mut types = rust_file(format!("{DIR}/types.rs"), "metadata/ffi.toml", super::types::emit(ir));
    types.contents = super::types::annotate_unsafe_impls(&types.contents);
    vec![rust_file(format!("{DIR}/mod.rs"), "metadata/", module(ir)), types]
}

fn module(ir: &Ir) -> TokenStream {
    let mods = ir.codes.iter().filter(|c| c.documented).map(|c| {
        let m = format_ident!("{}", c.module);
        let feature = &c.name;
        quote! {
            #[cfg(feature = #feature)]
            pub mod #m;
        }
    });
    let uses = ir.codes.iter().filter(|c| c.documented).map(|c| {
        let m = format_ident!("{}", c.module);
        let feature = &c.name;
        quote! {
            #[cfg(feature = #feature)]
            pub use #m::*;
        }
    });
    let typed = ir.codes.iter().filter(|c| c.documented).map(|c| {
        let (m, ty) = (format_ident!("{}", c.module), format_ident!("{}", c.error_type));
        let feature = &c.name;
        quote! {
            #[cfg(feature = #feature)]
            if let Some(e) = e.downcast_ref::<#m::#ty>() {
                return e.raw_os_error();
            }
        }
    });
    let rows = ir.catalogue.iter().map(|e| error_row(&e.name, e.value, &e.text));
    let mut statuses: Vec<(u32, i32)> = ir.catalogue.iter().flat_map(|e| e.ntstatus.iter().map(move |s| (*s, e.value))).collect();
    statuses.sort_unstable();
    let statuses = statuses.iter().map(|(s, v)| quote!((#s, #v)));
    quote! {
        //! One module per control code, and the data types they share; `lib.rs` re-exports them.
        pub mod types;
        #(#mods)*
        #[allow(unused_imports)]
        pub use types::*;
        #(#uses)*
        /// The generic meaning of every Windows Sockets error code, sorted by value.
        pub(crate) const CATALOGUE: &[crate::ErrorRow] = &[#(#rows),*];
        /// The Winsock error code that `e` carries if it is the error type of an enabled control
        /// code, which [`crate::raw_os_error`] finds inside an `io::Error`.
        pub(crate) fn raw_os_error_of(e: &(dyn std::error::Error + Send + Sync + 'static)) -> Option<i32> {
            #(#typed)*
            let _ = e;
            None
        }
        /// `(NTSTATUS, Winsock error)`: how Winsock reports an overlapped request's final status,
        /// sorted by status.
        #[allow(dead_code)]
        pub(crate) const NTSTATUS_TO_WSA: &[(u32, i32)] = &[#(#statuses),*];
    }
}

/// One `crate::ErrorRow` literal.
fn error_row(name: &str, value: i32, text: &crate::ir::Text) -> TokenStream {
    let (en, ja) = (&text.en, &text.ja);
    quote!(crate::ErrorRow { name: #name, value: #value, meaning: #en, meaning_ja: #ja })
}

fn code_module(ir: &Ir, c: &Code) -> TokenStream {
    let error = error_enum(c);
    let choices = choice_trait(c);
    let wrappers = wrappers(ir, c);
    let stream = change_stream(ir, c);
    // The summary is the first line of the wrapper's doc; the module's says what it holds.
    let doc_inner = super::inner_doc(&format!("{}\n\n Built with the cargo feature `{}` (or `full`).", module_line(ir, c), c.name));
    quote! {
        #doc_inner
        #error
        #choices
        #wrappers
        #stream
    }
}

/// The first line of a code's module doc: the code, its value and what the module holds (the
/// code's summary is its wrapper's first line).
fn module_line(ir: &Ir, c: &Code) -> String {
    let head = format!(" `{}` (`{:#010x}`): ", c.name, c.value);
    if !c.has_safe_wrapper() {
        return format!("{head}the error type `{}`; the code's buffers have no safe wrapper yet.", c.error_type);
    }
    let f = &c.function;
    let mut fns = vec![format!("`{f}`")];
    if c.has_overlapped_form() {
        fns.extend([format!("`{f}_overlapped`"), format!("`{f}_async`")]);
    }
    if c.stream_query.as_ref().is_some_and(|q| ir.codes.iter().any(|x| &x.name == q)) {
        fns.push(format!("`{f}_stream`"));
    }
    let last = fns.pop().expect("one function at least");
    let fns = if fns.is_empty() { last } else { format!("{} and {last}", fns.join(", ")) };
    format!("{head}{fns}, with the error type `{}`.", c.error_type)
}

/// The `*_stream` wrapper of a notification code with a `[stream]` query: the change request and
/// the query, both with the caller's input, as a `ChangeStream`.
fn change_stream(ir: &Ir, c: &Code) -> TokenStream {
    let Some(q) = c.stream_query.as_ref().and_then(|n| ir.codes.iter().find(|q| &q.name == n)) else {
        return quote!();
    };
    let (param, encode) = encode_input(ir, c);
    let arg = c.input.is_used().then(|| format_ident!("{}", c.input.name.as_deref().unwrap_or("input")));
    let args = arg.iter();
    let fs = format_ident!("{}_stream", c.function);
    let qf = format_ident!("{}", q.function);
    let cty = format_ident!("{}", c.error_type);
    let qty = format_ident!("{}", q.error_type);
    let item = output_type(ir, &q.output);
    let code_const = format_ident!("{}", c.name);
    let alias = &c.name;
    let doc = format!(
        " The current value that [`{qf}`](crate::{qf}) reads, and the value after each change that\n \
         [`{f}`] reports, as a [`ChangeStream`](crate::ChangeStream).\n\n \
         Each round arms `{name}` first and runs `{qname}` second, so a change that happens after an\n \
         item was read always produces another item. The first item is the value at the first poll.\n \
         Errors reading the value are items and the stream goes on; an error of the change request is\n \
         the last item. See [`{f}`] and [`{qf}`](crate::{qf}) for each code's errors and notes.",
        f = c.function,
        name = c.name,
        qname = q.name,
    );
    let doc_tokens = super::doc(&doc);
    quote! {
        #doc_tokens
        #[doc(alias = #alias)]
        #[cfg(all(windows, feature = "overlapped"))]
        pub fn #fs<S: std::os::windows::io::AsSocket>(socket: S #param) -> crate::ChangeStream<S, #item, #cty, crate::#qty> {
            #encode
            crate::ChangeStream::new(socket, sys::#code_const, &input, Box::new(move |s: std::os::windows::io::BorrowedSocket<'_>| crate::#qf(s #(, #args)*)))
        }
    }
}

fn error_enum(c: &Code) -> TokenStream {
    let ty = format_ident!("{}", c.error_type);
    let code_const = format_ident!("{}", c.name);
    let name = &c.name;
    let variants = c.variant_rows().map(|r| {
        let v = format_ident!("{}", r.variant);
        let doc = format!(" `{}` ({}): {}", r.name, r.value, r.text.en);
        let doc_tokens = super::doc(&doc);
        quote! {
            #doc_tokens
            #v
        }
    });
    let from_arms = c.variant_rows().map(|r| {
        let v = format_ident!("{}", r.variant);
        let k = format_ident!("{}", r.name);
        quote!(sys::#k => Self::#v)
    });
    let to_arms = c.variant_rows().map(|r| {
        let v = format_ident!("{}", r.variant);
        let k = format_ident!("{}", r.name);
        quote!(Self::#v => Some(sys::#k))
    });
    let rows = c.errors.iter().map(|r| error_row(&r.name, r.value, &r.text));
    // The overlapped and async forms of a code that can stay pending are refused before the
    // call on a socket opened for synchronous I/O, where WSAIoctl would block until the event.
    let overlapped = c.has_overlapped_form() && c.can_pend();
    let not_overlapped_variant = overlapped.then(|| {
        quote! {
            /// The socket was opened for synchronous I/O (made without `WSA_FLAG_OVERLAPPED`), so an
            /// overlapped or async request would block inside `WSAIoctl`; it was not issued.
            SocketNotOverlapped,
        }
    });
    let local_arm = if overlapped {
        quote!(Self::UnexpectedLength { .. } | Self::MalformedOutput(_) | Self::SocketNotOverlapped => None,)
    } else {
        quote!(Self::UnexpectedLength { .. } | Self::MalformedOutput(_) => None,)
    };
    let overlapped_impl = overlapped.then(|| {
        quote! {
            impl crate::OverlappedError for #ty {
                #[inline]
                fn socket_not_overlapped() -> Self {
                    Self::SocketNotOverlapped
                }
            }
        }
    });
    // The English texts as literals: printing an error links them, not `TABLE` (both languages).
    let listed = c.variant_rows().map(|r| {
        let v = format_ident!("{}", r.variant);
        let (k, n, en) = (format_ident!("{}", r.name), &r.name, &r.text.en);
        quote!(Self::#v => crate::error::display_listed(#name, #n, sys::#k, #en, f))
    });
    let not_overlapped_arm = overlapped.then(|| quote!(Self::SocketNotOverlapped => crate::error::display_not_overlapped(#name, f),));
    let display = quote! {
        match self {
            #(#listed,)*
            #not_overlapped_arm
            Self::Unlisted(code) => crate::error::display_unlisted(#name, *code, f),
            Self::UnexpectedLength { expected, returned } => crate::error::display_length(#name, *expected, *returned, f),
            Self::MalformedOutput(reason) => crate::error::display_malformed(#name, reason, f),
        }
    };
    let into_io = if overlapped {
        quote! {
            match e {
                #ty::SocketNotOverlapped => std::io::Error::new(std::io::ErrorKind::InvalidInput, e),
                _ => crate::error::into_io(e),
            }
        }
    } else {
        quote!(crate::error::into_io(e))
    };
    let doc = format!(
        " Errors of [`{name}`](sys::{name}), one variant per row of its documented error table{except}.\n\n\
         The doc of each variant is what the error means for this control code. A code outside the\n\
         table becomes [`Unlisted`]({ty}::Unlisted) with the raw value kept.{pending}\n\n\
         Converts into [`std::io::Error`]: its `kind()` is std's for the Winsock code, its message\n\
         this error's, and it holds this error, which [`crate::raw_os_error`] and `downcast` read\n\
         back (see [the crate docs](crate#errors-and-ioerror)).\n\n{table}",
        ty = c.error_type,
        except = if c.lists_io_pending() { " except `WSA_IO_PENDING`" } else { "" },
        pending = io_pending_text(c),
        table = text::error_table(c, Lang::En)
    );
    let doc_tokens = super::doc(&doc);
    quote! {
        use winsock_ioctl_sys as sys;

        #doc_tokens
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #ty {
            #(#variants,)*
            /// A Winsock error code that has no variant here: one outside this control code's table
            /// (or `WSA_IO_PENDING`, which is not a failure); the raw value is kept.
            Unlisted(i32),
            /// The call reported success but returned a byte count other than the buffer's size.
            UnexpectedLength {
                /// Bytes the buffer type needs.
                expected: usize,
                /// Bytes the provider reported.
                returned: usize,
            },
            /// The call reported success but the output does not hold what the code returns (a
            /// count or a pointer outside the buffer, an unknown address family, a null pointer).
            MalformedOutput(&'static str),
            #not_overlapped_variant
        }

        impl crate::ControlCodeError for #ty {
            const CODE: u32 = sys::#code_const;
            const NAME: &'static str = #name;
            const TABLE: &'static [crate::ErrorRow] = &[#(#rows),*];

            #[inline]
            fn from_raw_os_error(code: i32) -> Self {
                match code {
                    #(#from_arms,)*
                    other => Self::Unlisted(other),
                }
            }

            #[inline]
            fn raw_os_error(&self) -> Option<i32> {
                match self {
                    #(#to_arms,)*
                    Self::Unlisted(code) => Some(*code),
                    #local_arm
                }
            }

            #[inline]
            fn unexpected_length(expected: usize, returned: usize) -> Self {
                Self::UnexpectedLength { expected, returned }
            }

            #[inline]
            fn malformed(reason: &'static str) -> Self {
                Self::MalformedOutput(reason)
            }
        }

        impl #ty {
            /// Maps a raw `WSAGetLastError` value; codes without a variant become `Unlisted`.
            #[inline]
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

        #overlapped_impl

        impl core::fmt::Display for #ty {
            #[inline]
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                #display
            }
        }

        impl std::error::Error for #ty {}

        impl From<#ty> for std::io::Error {
            #[inline]
            fn from(e: #ty) -> Self {
                #into_io
            }
        }
    }
}

/// Why `WSA_IO_PENDING`, if the table lists it, has no variant.
fn io_pending_text(c: &Code) -> String {
    if !c.lists_io_pending() {
        return String::new();
    }
    let wrappers = if c.has_overlapped_form() {
        " No form of the wrapper returns it: the overlapped and async forms\n hand a started request back as a `Pending` and finish it, and the synchronous\n form passes no OVERLAPPED, so Winsock completes the call before returning."
    } else if c.has_safe_wrapper() {
        " The wrapper never returns it: it passes no OVERLAPPED, so Winsock\n completes the call before returning."
    } else {
        ""
    };
    format!(
        "\n\n `WSA_IO_PENDING`, listed for callers of `WSAIoctl`, has no variant: it says that an\n overlapped request was started, not that it failed.{wrappers}"
    )
}

fn doc_lines(lines: &[String]) -> String {
    lines.iter().map(|l| format!(" - {l}")).collect::<Vec<_>>().join("\n")
}

/// The doc of the synchronous and the overlapped form. Its first line, which rustdoc's lists
/// show, says what the function does; the C call it makes comes after.
fn wrapper_doc(c: &Code, overlapped: bool) -> String {
    let mut d = if overlapped {
        format!(
            " Starts [`{f}`]'s request overlapped and returns it at once, as a [`Pending`](crate::Pending) to\n await, wait on or cancel.\n\n {}\n",
            c.summary.en,
            f = c.function
        )
    } else {
        format!(" {}\n", c.summary.en)
    };
    d.push_str(&format!("\n The C call: `{}`.\n", text::c_call(c, overlapped)));
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
    let on_event = c.can_pend();
    if c.has_overlapped_form() {
        if overlapped {
            d.push_str(&format!(
                " This form returns at once with a [`Pending`](crate::Pending) request that can be awaited, waited on\n \
                 with a timeout and cancelled; dropping it cancels the request and waits for the kernel to let go\n \
                 of its buffers. The request is issued on the calling thread, and Windows cancels it if that\n \
                 thread exits first; [`{f}_async`] issues from a thread that never exits. {sync}\n\n",
                f = c.function,
                sync = sync_socket_text(c)
            ));
            if !on_event && c.output.is_used() {
                d.push_str(" The output is handed back by [`Pending::wait`](crate::Pending::wait) once the request completes.\n\n");
            }
        } else if on_event {
            d.push_str(" This form **blocks the calling thread** until the request completes.\n\n");
        }
    }
    if c.output.shape.grows() {
        let grow = if c.output.grow_on.is_empty() {
            " The output's length is not known in advance: the wrapper passes a buffer of a few KiB.".to_owned()
        } else {
            let errs = c.output.grow_on.iter().map(|g| format!("`{g}`")).collect::<Vec<_>>().join(" or ");
            format!(
                " The output's length is not known in advance: when the provider answers {errs} (buffer too small),\n the wrapper grows the buffer (to the size the provider reports, if it does) and calls again, up to\n {} times and {} bytes.",
                crate::emit::GROW_TRIES,
                crate::emit::GROW_MAX
            )
        };
        d.push_str(&grow);
        d.push_str(" Counts and embedded pointers are checked against the returned bytes before use.\n\n");
    }
    d.push_str(&doc_lines(&text::blocking(c, Lang::En)));
    d.push_str("\n\n # Applies to\n\n");
    d.push_str(&doc_lines(&text::applicability(c, Lang::En)));
    d.push_str("\n\n # Errors\n\n");
    d.push_str(text::error_table(c, Lang::En).trim_end());
    d.push_str(&format!(
        "\n\n Codes outside this table are returned as [`{0}::Unlisted`]; a byte count that does not\n match the buffer is [`{0}::UnexpectedLength`].{1}\n\n # Requirements\n\n",
        c.error_type,
        if c.lists_io_pending() { " `WSA_IO_PENDING` is not returned: it is not a failure." } else { "" }
    ));
    d.push_str(&doc_lines(&text::requirements(c, Lang::En)));
    let notes = text::notes(c, Lang::En);
    if !notes.is_empty() {
        d.push_str("\n\n # Notes\n\n");
        d.push_str(&doc_lines(&notes));
    }
    d
}

/// The Rust type of a safe struct, enum or choice by C name.
fn struct_ident(ir: &Ir, name: &str) -> proc_macro2::Ident {
    format_ident!("{}", ir.ffi.struct_(name).expect("validated struct").rust)
}

/// Size in bytes of a fixed output, as an expression.
fn fixed_len(ir: &Ir, shape: &Shape) -> TokenStream {
    match shape {
        Shape::Scalar(t) if t.pointer => quote!(crate::buf::PTR),
        Shape::Scalar(t) => {
            let n = t.size as usize;
            quote!(#n)
        }
        Shape::Enum(e) => {
            let n = ir.ffi.enum_(e).expect("validated enum").ty.size as usize;
            quote!(#n)
        }
        Shape::Struct(s) => {
            let n = struct_ident(ir, s);
            quote!(crate::#n::SIZE)
        }
        Shape::Guid => quote!(16usize),
        // SOCKADDR_STORAGE: room for any socket address.
        Shape::SockAddr => quote!(128usize),
        _ => quote!(0usize),
    }
}

/// The expression decoding a fixed-size output from the exact bytes `b`: the struct-field decoder
/// of `types.rs` at offset 0, except for a socket handle, which is pointer-sized.
fn decode_fixed(ir: &Ir, buf: &crate::ir::Buffer) -> TokenStream {
    let ty = match &buf.shape {
        Shape::Scalar(t) if t.safe == SafeScalar::Socket => return quote!(crate::buf::socket(b)),
        Shape::Scalar(t) if t.safe == SafeScalar::Pointer => unreachable!("validated: pointer outputs are unsupported"),
        Shape::Scalar(t) => FieldType::Scalar(*t),
        Shape::Enum(e) => FieldType::Enum(e.clone()),
        Shape::Struct(s) => FieldType::Struct(s.clone()),
        Shape::Guid => FieldType::Builtin(crate::ctypes::builtin("GUID").expect("GUID is a builtin")),
        _ => unreachable!("only fixed shapes are decoded here"),
    };
    super::types::decode_expr(ir, &ty, buf.as_bool, 0)
}

/// The safe Rust type of an output.
fn output_type(ir: &Ir, buf: &crate::ir::Buffer) -> TokenStream {
    if buf.as_bool {
        return quote!(bool);
    }
    match &buf.shape {
        Shape::None => quote!(()),
        Shape::Scalar(t) => match t.safe {
            SafeScalar::Socket => quote!(std::os::windows::io::RawSocket),
            other => {
                let r: syn::Type = syn::parse_str(other.rust().expect("validated: no pointer outputs")).expect("valid");
                quote!(#r)
            }
        },
        Shape::Enum(e) => {
            let n = format_ident!("{}", ir.ffi.enum_(e).expect("validated enum").rust);
            quote!(crate::#n)
        }
        Shape::Struct(s) => {
            let n = struct_ident(ir, s);
            quote!(crate::#n)
        }
        Shape::Guid => quote!(u128),
        Shape::SockAddr => quote!(std::net::SocketAddr),
        Shape::AddressList => quote!(Vec<std::net::SocketAddr>),
        Shape::Bytes => quote!(Vec<u8>),
        Shape::Array(s) => {
            let n = struct_ident(ir, s);
            quote!(Vec<crate::#n>)
        }
        Shape::Selected(_) => quote!(T),
        Shape::Unsupported(_) => unreachable!("no wrapper for unsupported shapes"),
    }
}

/// `(parameter, statement binding `input` to something that derefs to `[u8]`)`.
fn encode_input(ir: &Ir, c: &Code) -> (TokenStream, TokenStream) {
    let n = format_ident!("{}", c.input.name.as_deref().unwrap_or("input"));
    if matches!(c.output.shape, Shape::Selected(_)) {
        // The output type `T` carries the input that selects it.
        return (quote!(), quote!(let input = T::INPUT;));
    }
    match &c.input.shape {
        Shape::None => (quote!(), quote!(let input: [u8; 0] = [];)),
        Shape::Scalar(t) if c.input.as_bool => {
            let raw: syn::Type = syn::parse_str(t.safe.rust().expect("validated: an integer")).expect("valid");
            (quote!(, #n: bool), quote!(let input = #raw::from(#n).to_le_bytes();))
        }
        Shape::Scalar(t) => match t.safe {
            SafeScalar::Bool => (quote!(, #n: bool), quote!(let input = i32::from(#n).to_le_bytes();)),
            SafeScalar::Bool8 => (quote!(, #n: bool), quote!(let input = [u8::from(#n)];)),
            SafeScalar::Socket => (quote!(, #n: std::os::windows::io::RawSocket), quote!(let input = crate::buf::socket_bytes(#n);)),
            other => {
                let r: syn::Type = syn::parse_str(other.rust().expect("validated: no pointer inputs")).expect("valid");
                (quote!(, #n: #r), quote!(let input = #n.to_le_bytes();))
            }
        },
        Shape::Enum(e) => {
            let t = format_ident!("{}", ir.ffi.enum_(e).expect("validated enum").rust);
            (quote!(, #n: crate::#t), quote!(let input = #n.to_raw().to_le_bytes();))
        }
        Shape::Struct(s) => {
            let t = struct_ident(ir, s);
            (quote!(, #n: crate::#t), quote!(let input = #n.encode();))
        }
        Shape::SockAddr => (quote!(, #n: std::net::SocketAddr), quote!(let input = crate::buf::SockAddrBytes::new(&#n);)),
        Shape::Bytes => (quote!(, #n: &[u8]), quote!(let input = #n;)),
        Shape::Guid => (quote!(, #n: u128), quote!(let input = crate::buf::guid_be(#n.to_be_bytes());)),
        Shape::AddressList => (quote!(, #n: &[std::net::SocketAddr]), quote!(let input = crate::buf::AddressListInput::new(#n);)),
        Shape::Array(_) | Shape::Selected(_) | Shape::Unsupported(_) => unreachable!("validated: not an input shape"),
    }
}

/// The choice trait of a `selected` output and its impls.
/// The trait a selected output's types implement: `SioFooOutput` beside `SioFooError`.
fn choice_trait_ident(c: &Code) -> proc_macro2::Ident {
    format_ident!("{}Output", c.error_type.trim_end_matches("Error"))
}

fn choice_trait(c: &Code) -> TokenStream {
    let Shape::Selected(choices) = &c.output.shape else { return quote!() };
    let tr = choice_trait_ident(c);
    let name = &c.name;
    let list = choices.iter().map(|ch| format!("[`{}`](crate::{})", ch.rust, ch.rust)).collect::<Vec<_>>().join(", ");
    let d = super::doc(&format!(" The output types of [`{name}`](sys::{name}), each selected by its own input value: {list}."));
    let impls = choices.iter().map(|ch| {
        let t = format_ident!("{}", ch.rust);
        let input_bytes: Vec<u8> = match &ch.input {
            ChoiceInput::Int(v) => {
                let size = match &c.input.shape {
                    Shape::Scalar(s) => s.size as usize,
                    _ => 4,
                };
                v.to_le_bytes()[..size].to_vec()
            }
            ChoiceInput::Guid(_, bytes) => bytes.to_vec(),
        };
        let sel = match &ch.input {
            ChoiceInput::Int(v) => format!("input value {v}"),
            ChoiceInput::Guid(g, _) => format!("`{g}`"),
        };
        let min = ch.min_client.as_ref().map(|m| format!(" Needs {m} or later.")).unwrap_or_default();
        let d = super::doc(&format!(" Selected by {sel}.{min}"));
        let (size, decode) = match &ch.output {
            ChoiceOutput::Struct(_) => (quote!(crate::#t::SIZE), quote!(Some(crate::#t::decode(b)))),
            ChoiceOutput::FnPtr(_) => (quote!(crate::buf::PTR), quote!(crate::#t::from_addr(crate::buf::pointer(b)))),
        };
        quote! {
            #d
            impl #tr for crate::#t {
                const INPUT: &'static [u8] = &[#(#input_bytes),*];
                const SIZE: usize = #size;
                #[inline]
                fn decode(b: &[u8]) -> Option<Self> {
                    #decode
                }
            }
        }
    });
    quote! {
        #d
        pub trait #tr: Sized + crate::Sealed {
            /// The input buffer that selects this type.
            #[doc(hidden)]
            const INPUT: &'static [u8];
            /// Size of the output in bytes.
            #[doc(hidden)]
            const SIZE: usize;
            /// Reads the output; `None` if the provider returned nothing usable (a null pointer).
            #[doc(hidden)]
            fn decode(b: &[u8]) -> Option<Self>;
        }
        #(#impls)*
    }
}

/// The closure `|b: &[u8], base: usize| -> Result<RET, E>` that turns the returned bytes into
/// the output, and the output buffer's length for a fixed output.
/// The private `decode` fn of a code's module, shared by its forms. It and the error types'
/// methods are `#[inline]`: a program compiles only those of the codes it calls (the wrappers are
/// generic, so they are compiled in the program anyway), which keeps this crate's own build short.
fn decoder(ir: &Ir, c: &Code, ret: &TokenStream) -> (TokenStream, TokenStream) {
    let ty = format_ident!("{}", c.error_type);
    let shape = &c.output.shape;
    let len = match shape {
        Shape::Selected(_) => quote!(T::SIZE),
        other => fixed_len(ir, other),
    };
    let body = match shape {
        Shape::None => quote!(crate::buf::exact::<#ty>(b, 0).map(drop)),
        Shape::Scalar(_) | Shape::Enum(_) | Shape::Struct(_) | Shape::Guid => {
            let d = decode_fixed(ir, &c.output);
            quote! {
                let b = crate::buf::exact::<#ty>(b, #len)?;
                Ok(#d)
            }
        }
        Shape::Selected(_) => quote! {
            let b = crate::buf::exact::<#ty>(b, T::SIZE)?;
            T::decode(b).ok_or(<#ty as crate::ControlCodeError>::malformed("the provider returned a null value"))
        },
        Shape::SockAddr => quote! {
            crate::buf::sockaddr_decode(b).ok_or(<#ty as crate::ControlCodeError>::malformed("not an IPv4 or IPv6 socket address"))
        },
        Shape::AddressList => quote! {
            crate::buf::address_list(b, base).map_err(<#ty as crate::ControlCodeError>::malformed)
        },
        Shape::Bytes => quote!(Ok(b.to_vec())),
        Shape::Array(s) => {
            let n = struct_ident(ir, s);
            quote!(crate::buf::array(b, crate::#n::SIZE, crate::#n::decode).map_err(<#ty as crate::ControlCodeError>::malformed))
        }
        Shape::Unsupported(_) => unreachable!("no wrapper for unsupported shapes"),
    };
    let uses_base = matches!(shape, Shape::AddressList);
    let base = if uses_base { quote!(base) } else { quote!(_base) };
    let generics = match shape {
        Shape::Selected(_) => {
            let tr = choice_trait_ident(c);
            quote!(<T: #tr>)
        }
        _ => quote!(),
    };
    let item = quote! {
        /// Turns the output bytes (written at address `base`) into the output type; shared by
        /// every form of the wrapper.
        #[cfg(windows)]
        #[inline]
        fn decode #generics (b: &[u8], #base: usize) -> Result<#ret, #ty> { #body }
    };
    (item, len)
}

fn wrappers(ir: &Ir, c: &Code) -> TokenStream {
    if !c.has_safe_wrapper() {
        return quote!();
    }
    let ty = format_ident!("{}", c.error_type);
    let code_const = format_ident!("{}", c.name);
    let alias = &c.name;
    let helper_aliases: Vec<TokenStream> =
        c.inline_helpers.iter().map(|(f, _)| f).chain(c.aliases.iter().map(|(a, _, _)| a)).map(|f| quote!(#[doc(alias = #f)])).collect();
    let deprecated = c.deprecation.as_ref().map(|d| {
        let note = d.reason.en.clone();
        quote!(#[deprecated(note = #note)])
    });
    let (param, encode) = encode_input(ir, c);
    let ret = output_type(ir, &c.output);
    let generic = match &c.output.shape {
        Shape::Selected(_) => {
            let tr = choice_trait_ident(c);
            Some(quote!(T: #tr))
        }
        _ => None,
    };
    let (decode_item, len) = decoder(ir, c, &ret);
    // The shared decoder, named with its type argument where the output is selected.
    let decode = if generic.is_some() { quote!(decode::<T>) } else { quote!(decode) };
    // A selected output's input is `T::INPUT`, and a bytes input is the caller's slice: both are
    // slices already.
    let is_slice = matches!(c.output.shape, Shape::Selected(_)) || c.input.shape == Shape::Bytes;
    let input_arg = if is_slice { quote!(input) } else { quote!(&input) };
    let call = if c.output.shape.grows() {
        let grow_on = c.output.grow_on.iter().map(|g| {
            let g = format_ident!("{}", g);
            quote!(sys::#g)
        });
        quote!(crate::buf::grow::<#ty, _>(socket.as_socket(), sys::#code_const, #input_arg, &[#(#grow_on),*], crate::buf::GROW_FIRST, decode))
    } else {
        let out_len = match &c.output.shape {
            Shape::Selected(choices) => {
                // The largest choice, so one stack buffer serves every `T`.
                // (Function pointers are 8 bytes at most.)
                let max = choices
                    .iter()
                    .map(|ch| match &ch.output {
                        ChoiceOutput::Struct(s) => ir.ffi.struct_(s).expect("validated").layout64.size as usize,
                        ChoiceOutput::FnPtr(_) => 8,
                    })
                    .max()
                    .unwrap_or(0);
                quote!(#max)
            }
            _ => len.clone(),
        };
        // A const generic argument that is a path needs braces; a literal must not have them.
        let out_len = if out_len.to_string().starts_with(|c: char| c.is_ascii_digit()) { out_len } else { quote!({ #out_len }) };
        quote! {
            let mut output = crate::buf::Aligned::<#out_len>::new();
            let out = output.prefix(#len);
            let returned = crate::call::ioctl::<#ty>(socket.as_socket(), sys::#code_const, #input_arg, out)?;
            #decode(returned, 0)
        }
    };

    let f = format_ident!("{}", c.function);
    let doc_tokens = super::doc(&wrapper_doc(c, false));
    let generics = generic.as_ref().map(|g| quote!(<#g>));
    let sync = quote! {
        #decode_item

        #doc_tokens
        #[doc(alias = #alias)]
        #(#helper_aliases)*
        #deprecated
        #[cfg(windows)]
        pub fn #f #generics (socket: impl std::os::windows::io::AsSocket #param) -> Result<#ret, #ty> {
            #encode
            #call
        }
    };
    if !c.has_overlapped_form() {
        return sync;
    }
    let fo = format_ident!("{}_overlapped", c.function);
    let doc_o_tokens = super::doc(&wrapper_doc(c, true));
    let fa = format_ident!("{}_async", c.function);
    let doc_a_tokens = super::doc(&async_doc(c));
    let extra = generic.map(|g| quote!(, #g));
    // Only a code that can stay pending needs the synchronous-I/O check before it is issued.
    let check = if c.can_pend() {
        quote!(crate::pending::Check::Mode(<#ty as crate::OverlappedError>::socket_not_overlapped))
    } else {
        quote!(crate::pending::Check::Skip)
    };
    quote! {
        #sync

        #doc_o_tokens
        #[doc(alias = #alias)]
        #(#helper_aliases)*
        #deprecated
        #[cfg(all(windows, feature = "overlapped"))]
        pub fn #fo<S: std::os::windows::io::AsSocket #extra>(socket: S #param) -> Result<crate::Pending<S, #ret, #ty>, #ty> {
            #encode
            crate::Pending::start(socket, sys::#code_const, #input_arg, #len, #check, #decode)
        }

        #doc_a_tokens
        #[doc(alias = #alias)]
        #deprecated
        #[cfg(all(windows, feature = "overlapped"))]
        pub async fn #fa<S: std::os::windows::io::AsSocket #extra>(socket: S #param) -> Result<#ret, #ty> {
            #encode
            crate::Pending::start_detached(socket, sys::#code_const, #input_arg, #len, #check, #decode)?.await
        }
    }
}

/// What the overlapped forms do with a socket made without `WSA_FLAG_OVERLAPPED`.
fn sync_socket_text(c: &Code) -> String {
    if c.can_pend() {
        format!(
            "The socket must\n have been created overlapped (std, socket2 and tokio sockets are); one that was not gives\n [`{}::SocketNotOverlapped`] instead of blocking.",
            c.error_type
        )
    } else {
        "On a socket created without\n the overlapped attribute the request completes inside the call, as this code never waits.".to_owned()
    }
}

/// The doc of an `*_async` form: what differs from the other forms, and a link to the blocking
/// form for the rest.
fn async_doc(c: &Code) -> String {
    let mut d = format!(
        " Issues [`{f}`]'s request overlapped from a thread of this crate and completes when it does.\n\n {}\n\n The C call: `{}`, awaited.\n",
        c.summary.en,
        text::c_call(c, true),
        f = c.function
    );
    if let Some(dep) = text::deprecation(c, Lang::En) {
        d.push_str(&format!("\n {dep}\n"));
    }
    d.push_str(&format!(
        "\n The async form of [`{f}`]: see it for the input, the output, the sockets it applies to, the\n \
         error table and the notes. Any executor can run it; it does not need tokio.\n\n \
         # Blocking\n\n \
         The request is issued when the future is first polled, from a thread of this crate that never\n \
         exits, so the task may move between threads and its first thread may end without cancelling\n \
         it (Windows cancels a thread's requests when the thread exits). Issuing waits only for that\n \
         thread to make the call. The task is then woken by a thread-pool wait on the request's event.\n\n \
         Dropping the future before it resolves cancels the request and waits for the kernel to let go\n \
         of its buffers. {sync}\n\n \
         To start the request before awaiting it, or to keep it and wait with a timeout, use\n \
         [`{f}_overlapped`], whose [`Pending`](crate::Pending) is a future too.",
        f = c.function,
        sync = sync_socket_text(c),
    ));
    d
}
