//! Emits the raw layer: control-code constants (each checked at compile time against the
//! `opcode` const fns) and the WSA error-code constants.

use super::rust_file;
use crate::GeneratedFile;
use crate::compose::Composition;
use crate::ir::{Code, FfiSource, FieldType, Ir, Win32Kind};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

const DIR: &str = "bindings/winsock-ioctl-sys/src/generated";

pub(crate) fn emit(ir: &Ir) -> Vec<GeneratedFile> {
    vec![
        rust_file(format!("{DIR}/codes.rs"), "metadata/codes/*.toml", codes(ir)),
        rust_file(format!("{DIR}/errors.rs"), "metadata/errors.toml", errors(ir)),
        rust_file(format!("{DIR}/types.rs"), "metadata/ffi.toml", types(ir)),
        rust_file(format!("{DIR}/layouts.rs"), "metadata/ffi.toml", layouts(ir)),
        rust_file(format!("{DIR}/mod.rs"), "metadata/", module(ir)),
    ]
}

/// The generated modules, and what of them `lib.rs` re-exports: every public item, and each
/// function of `functions.rs` with its doc (windows-link's `link!` declares it without one).
fn module(ir: &Ir) -> TokenStream {
    let functions = ir.ffi.win32.iter().filter(|w| w.kind == Win32Kind::Function).map(|w| {
        let n = format_ident!("{}", w.name);
        let doc = super::doc(&format!(" {}", w.doc));
        quote! {
            #doc
            pub use functions::#n;
        }
    });
    quote! {
        //! Generated items; `lib.rs` re-exports what is public here.
        mod codes;
        mod errors;
        mod ffi;
        mod functions;
        mod layouts;
        mod types;
        pub use codes::*;
        pub use errors::*;
        pub use ffi::*;
        pub use types::*;
        #(#functions)*
    }
}

fn codes(ir: &Ir) -> TokenStream {
    let items = ir.codes.iter().map(code);
    // The Unix-style codes (`_IO`, `_IOR`, `_IOW`) also go to `ioctlsocket`, whose `cmd` is a C
    // `long`: the same bits as an `i32`.
    let unix = ir.codes.iter().filter(|c| matches!(c.composition, Composition::Unix { .. })).map(|c| {
        let name = format_ident!("{}", c.name);
        let doc = super::doc(&format!(" [`{0}`](super::{0}) as `ioctlsocket`'s `cmd` parameter.", c.name));
        quote! {
            #doc
            pub const #name: i32 = super::#name as i32;
        }
    });
    quote! {
        //! Control-code values. Each is asserted at compile time to equal its composition.
        #![allow(clippy::unreadable_literal)]
        use crate::opcode::*;
        #(#items)*

        /// The Unix-style codes typed for `ioctlsocket(s, cmd, argp)`, whose `cmd` is an `i32`
        /// (a C `long`); everywhere else control codes are `u32`.
        pub mod ioctlsocket_cmd {
            #(#unix)*
        }
    }
}

fn code(c: &Code) -> TokenStream {
    let name = format_ident!("{}", c.name);
    let hex = format!("{:#06x}_{:04x}", c.value >> 16, c.value & 0xffff);
    let lit = syn::LitInt::new(&hex, Span::call_site());
    let wrapped = if c.documented && c.has_safe_wrapper() {
        format!(" The `winsock-ioctl` crate wraps it as `{}`, with its error table.", c.function)
    } else {
        String::new()
    };
    let doc = format!(" {}\n\n Composed as `{}` in `{}`.{wrapped}", c.summary.en, c.composition, c.header);
    let doc_tokens = super::doc(&doc);
    let compose = composition_expr(&c.composition);
    let aliases = c.aliases.iter().map(|(a, header, note)| {
        let a = format_ident!("{}", a);
        let d = super::doc(&format!(" Another name for [`{}`] (`{header}`): {}", c.name, note.en));
        quote! {
            #d
            pub const #a: u32 = #name;
        }
    });
    quote! {
        #doc_tokens
        pub const #name: u32 = #lit;
        const _: () = assert!(#name == #compose);
        #(#aliases)*
    }
}

fn composition_expr(c: &Composition) -> TokenStream {
    let Some(m) = c.mac() else {
        let Composition::Bits { terms } = c else { unreachable!("only Bits has no macro") };
        let terms = terms.iter().map(|t| syn::LitInt::new(&format!("{t:#010x}"), Span::call_site()));
        return quote!((#(#terms)|*));
    };
    let mac = format_ident!("{}", m.c_name());
    match c {
        Composition::Unix { group, number, ty, .. } => {
            let g = if group.is_ascii_graphic() {
                let b = syn::LitByte::new(*group, Span::call_site());
                quote!(#b)
            } else {
                let g = proc_macro2::Literal::u8_unsuffixed(*group);
                quote!(#g)
            };
            let n = proc_macro2::Literal::u8_unsuffixed(*number);
            match ty {
                Some(t) => {
                    let sys: syn::Type = syn::parse_str(t.sys).expect("ctypes table holds valid Rust types");
                    quote!(#mac(#g, #n, core::mem::size_of::<#sys>() as u32))
                }
                None => quote!(#mac(#g, #n)),
            }
        }
        Composition::Wsa { family, number, .. } => {
            let f = format_ident!("{}", family.c_name());
            let n = proc_macro2::Literal::u16_unsuffixed(*number);
            quote!(#mac(#f, #n))
        }
        Composition::Bits { .. } => unreachable!("handled above"),
    }
}

fn errors(ir: &Ir) -> TokenStream {
    let items = ir.catalogue.iter().map(|e| {
        let name = format_ident!("{}", e.name);
        let v = proc_macro2::Literal::i32_unsuffixed(e.value);
        let doc = format!(" {}", e.text.en);
        let doc_tokens = super::doc(&doc);
        quote! {
            #doc_tokens
            pub const #name: i32 = #v;
        }
    });
    quote! {
        //! Windows Sockets error codes, as returned by `WSAGetLastError`.
        #(#items)*
    }
}

fn rust_ty(s: &str) -> TokenStream {
    syn::parse_str::<syn::Type>(s).map(|t| quote!(#t)).expect("validated Rust type")
}

/// The sys-crate Rust type of a struct field.
fn field_ty(t: &FieldType) -> TokenStream {
    match t {
        FieldType::Scalar(c) => rust_ty(c.sys),
        FieldType::Builtin(b) => {
            let n = format_ident!("{}", b.c);
            quote!(#n)
        }
        FieldType::Struct(n) | FieldType::Enum(n) => {
            let n = format_ident!("{}", n);
            quote!(#n)
        }
        FieldType::Array(inner, n) => {
            let i = field_ty(inner);
            let n = proc_macro2::Literal::usize_unsuffixed(*n as usize);
            quote!([#i; #n])
        }
    }
}

/// Items of `metadata/ffi.toml` that Microsoft's metadata lacks: emitted here, from the spec.
fn types(ir: &Ir) -> TokenStream {
    let aliases = ir.ffi.aliases.iter().map(|(name, target, header, doc)| {
        let n = format_ident!("{}", name);
        let t = rust_ty(target);
        let doc_tokens = super::doc(&format!(" {doc} (`{header}`)"));
        quote! {
            #doc_tokens
            pub type #n = #t;
        }
    });
    let structs = ir.ffi.structs.iter().filter(|s| s.source == FfiSource::Spec).map(|s| {
        let n = format_ident!("{}", s.name);
        let doc_tokens = super::doc(&format!(" {} (`{}`)", s.doc, s.header));
        let fields = s.fields.iter().map(|f| {
            let name = format_ident!("{}", f.name);
            let t = field_ty(&f.ty);
            let d = format!(" {}", f.doc.as_deref().unwrap_or(""));
            quote! {
                #[doc = #d]
                pub #name: #t
            }
        });
        let kw = if s.union { quote!(union) } else { quote!(struct) };
        quote! {
            #doc_tokens
            #[repr(C)]
            #[derive(Clone, Copy)]
            pub #kw #n {
                #(#fields,)*
            }
        }
    });
    let enums = ir.ffi.enums.iter().filter(|e| e.source == FfiSource::Spec).map(|e| {
        let n = format_ident!("{}", e.name);
        let raw = rust_ty(e.ty.sys);
        let doc_tokens = super::doc(&format!(" {} (`{}`)", e.doc, e.header));
        let values = e.values.iter().map(|(c, v, _, d)| {
            let c = format_ident!("{}", c);
            let v = proc_macro2::Literal::i64_unsuffixed(*v);
            let d = super::doc(&format!(" {d}"));
            quote!(#d pub const #c: #n = #v;)
        });
        quote! {
            #doc_tokens
            pub type #n = #raw;
            #(#values)*
        }
    });
    let guids = ir.ffi.guids.iter().map(|g| {
        let n = format_ident!("{}", g.name);
        let (d1, d2, d3, d4) = g.value;
        let d1 = proc_macro2::Literal::u32_unsuffixed(d1);
        let d2 = proc_macro2::Literal::u16_unsuffixed(d2);
        let d3 = proc_macro2::Literal::u16_unsuffixed(d3);
        let d4 = d4.iter().map(|b| proc_macro2::Literal::u8_unsuffixed(*b));
        let doc_tokens = super::doc(&format!(" {} (`{}`)", g.doc, g.header));
        quote! {
            #doc_tokens
            pub const #n: GUID = GUID { data1: #d1, data2: #d2, data3: #d3, data4: [#(#d4),*] };
        }
    });
    let fnptrs = ir.ffi.function_pointers.iter().filter(|f| f.source == FfiSource::Spec).map(|f| {
        let n = format_ident!("{}", f.name);
        let doc_tokens = super::doc(&format!(" {} (`{}`)", f.doc, f.header));
        let params = f.params.iter().map(|(p, t)| {
            let p = format_ident!("{}", p);
            let t = rust_ty(t.sys);
            quote!(#p: #t)
        });
        let r = rust_ty(f.returns.expect("validated: spec function pointers have a return type").sys);
        quote! {
            #doc_tokens
            pub type #n = Option<unsafe extern "system" fn(#(#params),*) -> #r>;
        }
    });
    quote! {
        //! Items of `metadata/ffi.toml` that Microsoft's Win32 metadata lacks (service-provider types,
        //! extension-function GUIDs), emitted from the spec.
        #![allow(clippy::unreadable_literal)]
        use super::ffi::*;
        #(#aliases)*
        #(#structs)*
        #(#enums)*
        #(#guids)*
        #(#fnptrs)*
    }
}

/// Compile-time checks that every struct of `metadata/ffi.toml` (whichever tool wrote its Rust
/// definition) has the size, alignment and field offsets computed from the spec, for 32- and
/// 64-bit targets, and that every enum value windows-bindgen emitted equals the spec's.
fn layouts(ir: &Ir) -> TokenStream {
    let per_width = |width: &str| {
        let pw = if width == "64" { 8 } else { 4 };
        let structs = ir.ffi.structs.iter().map(|s| {
            let n = format_ident!("{}", s.name);
            let l = if pw == 8 { &s.layout64 } else { &s.layout32 };
            let (size, align) = (l.size as usize, l.align as usize);
            let offs = s.fields.iter().zip(&l.offsets).map(|(f, o)| {
                let f = format_ident!("{}", f.name);
                let o = *o as usize;
                quote!(assert!(offset_of!(#n, #f) == #o);)
            });
            quote! {
                assert!(size_of::<#n>() == #size);
                assert!(align_of::<#n>() == #align);
                #(#offs)*
            }
        });
        let builtins = crate::ctypes::builtins().iter().map(|b| {
            let n = format_ident!("{}", b.c);
            let (size, align) = (b.size as usize, b.align as usize);
            quote! {
                assert!(size_of::<#n>() == #size);
                assert!(align_of::<#n>() == #align);
            }
        });
        quote! {
            #[cfg(target_pointer_width = #width)]
            const _: () = {
                #(#structs)*
                #(#builtins)*
            };
        }
    };
    let a64 = per_width("64");
    let a32 = per_width("32");
    let enum_values = ir.ffi.enums.iter().filter(|e| e.source == FfiSource::Win32metadata).flat_map(|e| {
        e.values.iter().map(|(c, v, _, _)| {
            let c = format_ident!("{}", c);
            let v = proc_macro2::Literal::i64_unsuffixed(*v);
            quote!(assert!(#c == #v);)
        })
    });
    quote! {
        //! Layout and value checks of every FFI item the specs describe, evaluated at compile time.
        use super::ffi::*;
        #[allow(unused_imports)]
        use super::types::*;
        use core::mem::{align_of, offset_of, size_of};
        #a64
        #a32
        const _: () = {
            #(#enum_values)*
        };
    }
}
