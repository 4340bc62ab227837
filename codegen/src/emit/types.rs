//! Emits the safe layer's data types (`generated/types.rs`): a Rust struct for every C struct a
//! buffer carries, a Rust enum for every C enumeration, and a typed wrapper for every extension
//! function a `selected` output returns. Structs are encoded and decoded field by field at the
//! offsets the generator computed (the sys crate asserts the same offsets against the C layout),
//! so no memory is reinterpreted and a short buffer can never be read past its end.

use super::doc;
use crate::ctypes::{BuiltinKind, SafeScalar};
use crate::ir::{ChoiceOutput, Code, FfiEnum, FfiField, FfiStruct, FieldType, Ir, Shape};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

/// The C names of the structs and enums, and the function pointers, that some buffer reaches.
pub(crate) struct Reached {
    /// Structs that some `selected` output returns (they implement the sealing trait).
    pub choices: BTreeSet<String>,
    pub structs: BTreeSet<String>,
    pub enums: BTreeSet<String>,
    pub fn_ptrs: BTreeSet<String>,
}

pub(crate) fn reached(ir: &Ir) -> Reached {
    reached_from(ir, ir.codes.iter())
}

/// What the buffers of `codes` reach (codes without a safe wrapper reach nothing).
fn reached_from<'a>(ir: &Ir, codes: impl Iterator<Item = &'a Code>) -> Reached {
    let mut r = Reached { choices: BTreeSet::new(), structs: BTreeSet::new(), enums: BTreeSet::new(), fn_ptrs: BTreeSet::new() };
    for c in codes.filter(|c| c.has_safe_wrapper()) {
        for shape in [&c.input.shape, &c.output.shape] {
            match shape {
                Shape::Struct(s) | Shape::Array(s) => add_struct(ir, s, &mut r),
                Shape::Enum(e) => {
                    r.enums.insert(e.clone());
                }
                Shape::Selected(choices) => {
                    for ch in choices {
                        match &ch.output {
                            ChoiceOutput::Struct(s) => {
                                r.choices.insert(s.clone());
                                add_struct(ir, s, &mut r);
                            }
                            ChoiceOutput::FnPtr(f) => {
                                r.fn_ptrs.insert(f.clone());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    r
}

fn add_struct(ir: &Ir, name: &str, r: &mut Reached) {
    if !r.structs.insert(name.to_owned()) {
        return;
    }
    let Some(s) = ir.ffi.struct_(name) else { return };
    for f in s.fields.iter().filter(|f| !f.reserved) {
        add_field(ir, &f.ty, r);
    }
}

fn add_field(ir: &Ir, t: &FieldType, r: &mut Reached) {
    match t {
        FieldType::Struct(s) => add_struct(ir, s, r),
        FieldType::Enum(e) => {
            r.enums.insert(e.clone());
        }
        FieldType::Array(inner, _) => add_field(ir, inner, r),
        FieldType::Scalar(_) | FieldType::Builtin(_) => {}
    }
}

/// For each type some buffer reaches (by C name), the codes whose buffers reach it.
fn users(ir: &Ir) -> BTreeMap<String, Vec<&str>> {
    let mut users: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for c in &ir.codes {
        let r = reached_from(ir, std::iter::once(c));
        for name in r.structs.into_iter().chain(r.enums).chain(r.fn_ptrs) {
            users.entry(name).or_default().push(c.name.as_str());
        }
    }
    users
}

/// `items` with a `cfg` on each item: built only with the cargo feature of one of `codes`.
fn gated(codes: &[&str], items: TokenStream) -> TokenStream {
    let cfg: syn::Attribute = match codes {
        [one] => syn::parse_quote!(#[cfg(feature = #one)]),
        many => syn::parse_quote!(#[cfg(any(#(feature = #many),*))]),
    };
    let mut file: syn::File = syn::parse2(items).expect("the type emitters produce valid items");
    for item in &mut file.items {
        if let Some(attrs) = item_attrs(item) {
            attrs.insert(0, cfg.clone());
        }
    }
    quote!(#file)
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Enum(i) => Some(&mut i.attrs),
        syn::Item::Struct(i) => Some(&mut i.attrs),
        syn::Item::Impl(i) => Some(&mut i.attrs),
        _ => None,
    }
}

pub(crate) fn emit(ir: &Ir) -> TokenStream {
    let r = reached(ir);
    let users = users(ir);
    let gate = |name: &str, items: TokenStream| gated(users.get(name).map(Vec::as_slice).unwrap_or_default(), items);
    let enums = ir.ffi.enums.iter().filter(|e| r.enums.contains(&e.name)).map(|e| gate(&e.name, enumeration(e)));
    let structs = ir.ffi.structs.iter().filter(|s| r.structs.contains(&s.name)).map(|s| {
        let def = structure(ir, s);
        let n = format_ident!("{}", s.rust);
        let sealed = r.choices.contains(&s.name).then(|| quote!(impl crate::Sealed for #n {}));
        gate(&s.name, quote!(#def #sealed))
    });
    let fns = ir.ffi.function_pointers.iter().filter(|f| r.fn_ptrs.contains(&f.name)).map(|f| {
        let rust = format_ident!("{}", f.rust.as_deref().expect("validated: choices have a rust name"));
        let sys = format_ident!("{}", f.name);
        let d = doc(&format!(
            " `{}` (`{}`): {}\n\n Obtained from the provider with `SIO_GET_EXTENSION_FUNCTION_POINTER`; never null. Calling it is\n `unsafe`: its contract is the C function's.",
            f.name, f.header, f.doc
        ));
        let items = quote! {
            #d
            #[derive(Clone, Copy)]
            pub struct #rust(<sys::#sys as crate::OptionFn>::Fn);

            impl #rust {
                /// The function pointer, with its exact signature from the sys crate.
                #[inline]
                pub fn get(self) -> <sys::#sys as crate::OptionFn>::Fn {
                    self.0
                }

                #[inline]
                pub(crate) fn from_addr(addr: usize) -> Option<Self> {
                    crate::call::fn_ptr::<sys::#sys>(addr).map(Self)
                }
            }

            impl crate::Sealed for #rust {}

            impl core::fmt::Debug for #rust {
                #[inline]
                fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    f.debug_tuple(stringify!(#rust)).field(&(self.0 as usize as *const ())).finish()
                }
            }

            #[allow(unsafe_code)]
            unsafe impl crate::FnPtrOption for sys::#sys {}
        };
        gate(&f.name, items)
    });
    quote! {
        //! The data types that control codes take and return: structs decoded field by field at
        //! the C offsets, enumerations, and typed extension-function pointers.
        #![allow(clippy::all)]
        #[allow(unused_imports)]
        use winsock_ioctl_sys as sys;
        #(#enums)*
        #(#structs)*
        #(#fns)*
    }
}

/// The Rust type of an integer scalar in the raw encoding.
fn raw_int(safe: SafeScalar, size: u32) -> TokenStream {
    match (safe, size) {
        (SafeScalar::I32, _) => quote!(i32),
        (_, 1) => quote!(u8),
        (_, 2) => quote!(u16),
        (_, 4) => quote!(u32),
        _ => quote!(u64),
    }
}

fn enumeration(e: &FfiEnum) -> TokenStream {
    let name = format_ident!("{}", e.rust);
    let raw = raw_int(e.ty.safe, e.ty.size);
    let variants = e.values.iter().map(|(c, v, r, d)| {
        let r = format_ident!("{}", r);
        let d = doc(&format!(" `{c}` ({v}): {d}"));
        quote!(#d #r)
    });
    let to_raw = e.values.iter().map(|(_, v, r, _)| {
        let r = format_ident!("{}", r);
        let v = Literal::i64_unsuffixed(*v);
        quote!(Self::#r => #v)
    });
    let from_raw = e.values.iter().map(|(_, v, r, _)| {
        let r = format_ident!("{}", r);
        let v = Literal::i64_unsuffixed(*v);
        quote!(#v => Self::#r)
    });
    let d = doc(&format!(" `{}` (`{}`): {}", e.name, e.header, e.doc));
    quote! {
        #d
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants,)*
            /// A value the specs do not name (for example one added by a later Windows version).
            Unknown(#raw),
        }

        impl #name {
            /// The C value.
            #[inline]
            pub const fn to_raw(self) -> #raw {
                match self {
                    #(#to_raw,)*
                    Self::Unknown(v) => v,
                }
            }

            /// The variant for a C value.
            #[inline]
            pub const fn from_raw(v: #raw) -> Self {
                match v {
                    #(#from_raw,)*
                    other => Self::Unknown(other),
                }
            }
        }
    }
}

/// The safe-layer Rust type of a field.
fn field_rust_type(ir: &Ir, f: &FfiField) -> TokenStream {
    if f.as_bool {
        return quote!(bool);
    }
    type_of(ir, &f.ty)
}

fn type_of(ir: &Ir, t: &FieldType) -> TokenStream {
    match t {
        FieldType::Scalar(c) => {
            let r: syn::Type = syn::parse_str(c.safe.rust().expect("safe structs hold no pointers")).expect("valid type");
            quote!(#r)
        }
        FieldType::Enum(e) => {
            let n = format_ident!("{}", ir.ffi.enum_(e).expect("known enum").rust);
            quote!(#n)
        }
        FieldType::Struct(s) => {
            let n = format_ident!("{}", ir.ffi.struct_(s).expect("known struct").rust);
            quote!(#n)
        }
        FieldType::Builtin(b) => match b.kind {
            BuiltinKind::Guid => quote!(u128),
            BuiltinKind::SockAddr => quote!(Option<std::net::SocketAddr>),
        },
        FieldType::Array(inner, n) => {
            let i = type_of(ir, inner);
            let n = Literal::u32_unsuffixed(*n);
            quote!([#i; #n])
        }
    }
}

/// The expression decoding a value of type `t` at byte offset `off` of `b` (missing bytes read
/// as zero); `as_bool` reads an integer as "non-zero". Struct fields and fixed-size outputs both
/// decode through it.
pub(crate) fn decode_expr(ir: &Ir, t: &FieldType, as_bool: bool, off: usize) -> TokenStream {
    match t {
        FieldType::Scalar(c) => {
            let size = c.size as usize;
            let raw = raw_int(c.safe, c.size);
            let read = quote!(#raw::from_le_bytes(crate::buf::take::<#size>(b, #off)));
            match c.safe {
                SafeScalar::Bool | SafeScalar::Bool8 => quote!(#read != 0),
                _ if as_bool => quote!(#read != 0),
                _ => read,
            }
        }
        FieldType::Enum(e) => {
            let en = ir.ffi.enum_(e).expect("known enum");
            let n = format_ident!("{}", en.rust);
            let size = en.ty.size as usize;
            let raw = raw_int(en.ty.safe, en.ty.size);
            quote!(crate::#n::from_raw(#raw::from_le_bytes(crate::buf::take::<#size>(b, #off))))
        }
        FieldType::Struct(s) => {
            let st = ir.ffi.struct_(s).expect("known struct");
            let n = format_ident!("{}", st.rust);
            let at = if off == 0 { quote!(b) } else { quote!(b.get(#off..).unwrap_or(&[])) };
            quote!(crate::#n::decode(#at))
        }
        FieldType::Builtin(bt) => {
            let size = bt.size as usize;
            match bt.kind {
                BuiltinKind::Guid => quote!(u128::from_be_bytes(crate::buf::guid_be(crate::buf::take::<16>(b, #off)))),
                BuiltinKind::SockAddr => quote!(crate::buf::sockaddr_decode(&crate::buf::take::<#size>(b, #off))),
            }
        }
        FieldType::Array(inner, n) => {
            let FieldType::Scalar(c) = inner.as_ref() else { unreachable!("validated: arrays of integers only") };
            let size = c.size as usize;
            let count = *n as usize;
            let raw = raw_int(c.safe, c.size);
            quote!(core::array::from_fn::<_, #count, _>(|i| #raw::from_le_bytes(crate::buf::take::<#size>(b, #off + i * #size))))
        }
    }
}

/// Statements writing `value` (an expression of the field's safe type) at `off` into `b`.
fn encode_stmt(t: &FieldType, as_bool: bool, value: TokenStream, off: usize) -> TokenStream {
    match t {
        FieldType::Scalar(c) => {
            let raw = raw_int(c.safe, c.size);
            let v = match c.safe {
                SafeScalar::Bool | SafeScalar::Bool8 => quote!(#raw::from(#value)),
                _ if as_bool => quote!(#raw::from(#value)),
                _ => value,
            };
            quote!(crate::buf::put(b, #off, &#v.to_le_bytes());)
        }
        FieldType::Enum(_) => quote!(crate::buf::put(b, #off, &#value.to_raw().to_le_bytes());),
        FieldType::Struct(_) => quote!(#value.encode_into(b.get_mut(#off..).unwrap_or(&mut []));),
        FieldType::Builtin(bt) => match bt.kind {
            BuiltinKind::Guid => quote!(crate::buf::put(b, #off, &crate::buf::guid_be(#value.to_be_bytes()));),
            BuiltinKind::SockAddr => quote!(if let Some(a) = #value { crate::buf::put(b, #off, &crate::buf::SockAddrBytes::new(&a)); }),
        },
        FieldType::Array(inner, _) => {
            let FieldType::Scalar(c) = inner.as_ref() else { unreachable!("validated: arrays of integers only") };
            let size = c.size as usize;
            quote! {
                for (i, x) in #value.iter().enumerate() {
                    crate::buf::put(b, #off + i * #size, &x.to_le_bytes());
                }
            }
        }
    }
}

fn structure(ir: &Ir, s: &FfiStruct) -> TokenStream {
    let name = format_ident!("{}", s.rust);
    let size = s.layout64.size as usize;
    let size32 = s.layout32.size as usize;
    // Equal unless a reserved pointer-sized field makes the 32-bit struct smaller.
    let size_expr = if size == size32 { quote!(#size) } else { quote!(if cfg!(target_pointer_width = "64") { #size } else { #size32 }) };
    let fields: Vec<(&FfiField, u32)> = s.fields.iter().zip(&s.layout64.offsets).map(|(f, o)| (f, *o)).collect();
    let visible: Vec<&(&FfiField, u32)> = fields.iter().filter(|(f, _)| !f.reserved).collect();
    let decls = visible.iter().map(|(f, _)| {
        let n = format_ident!("{}", f.rust);
        let t = field_rust_type(ir, f);
        let d = doc(&format!(" `{}`: {}", f.name, f.doc.as_deref().unwrap_or("")));
        quote!(#d pub #n: #t)
    });
    let decodes = visible.iter().map(|(f, o)| {
        let n = format_ident!("{}", f.rust);
        let e = decode_expr(ir, &f.ty, f.as_bool, *o as usize);
        quote!(#n: #e)
    });
    let encodes = visible.iter().map(|(f, o)| {
        let n = format_ident!("{}", f.rust);
        encode_stmt(&f.ty, f.as_bool, quote!(self.#n), *o as usize)
    });
    let d = doc(&format!(
        " `{}` (`{}`): {}\n\n The C struct is {}; the sys crate's `{}` is the raw form.",
        s.name,
        s.header,
        s.doc,
        if size == size32 { format!("{size} bytes") } else { format!("{size} bytes on 64-bit targets and {size32} on 32-bit ones") },
        s.name
    ));
    quote! {
        #d
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct #name {
            #(#decls,)*
        }

        impl #name {
            /// Size of the C struct in bytes.
            pub const SIZE: usize = #size_expr;

            /// Reads the struct from the first [`Self::SIZE`] bytes of `bytes`, the C layout;
            /// `None` if there are fewer.
            #[inline]
            pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
                (bytes.len() >= Self::SIZE).then(|| Self::decode(bytes))
            }

            /// The struct in the C layout; reserved fields are zero.
            #[inline]
            pub fn to_bytes(&self) -> [u8; Self::SIZE] {
                self.encode()
            }

            /// Reads the struct from the first [`Self::SIZE`] bytes of `b` (missing bytes read as zero).
            #[inline]
            pub(crate) fn decode(b: &[u8]) -> Self {
                Self { #(#decodes,)* }
            }

            /// Writes the struct into the first [`Self::SIZE`] bytes of `b`; reserved fields stay zero.
            #[inline]
            pub(crate) fn encode_into(&self, b: &mut [u8]) {
                #(#encodes)*
            }

            /// The C struct's bytes.
            #[inline]
            pub(crate) fn encode(&self) -> [u8; Self::SIZE] {
                let mut out = [0u8; Self::SIZE];
                self.encode_into(&mut out);
                out
            }
        }
    }
}

/// Puts a `// SAFETY:` comment above each `unsafe impl` of the formatted file (token streams
/// cannot carry comments, and the lint `undocumented_unsafe_blocks` wants one).
pub(crate) fn annotate_unsafe_impls(contents: &str) -> String {
    let mut out = String::with_capacity(contents.len());
    let lines: Vec<&str> = contents.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let next = lines.get(i + 1).copied().unwrap_or("");
        if line.trim() == "#[allow(unsafe_code)]" && next.starts_with("unsafe impl crate::FnPtrOption for sys::") {
            let ty = next.trim_start_matches("unsafe impl crate::FnPtrOption for ").trim_end_matches(" {}");
            out.push_str(&format!(
                "// SAFETY: windows-bindgen declares `{ty}` as `Option<unsafe extern \"system\" fn(..)>`, which is\n// what `FnPtrOption` requires.\n"
            ));
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
