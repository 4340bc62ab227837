//! Emits the raw layer: control-code constants (each checked at compile time against the
//! `opcode` const fns) and the WSA error-code constants.

use super::{rust_file, spec_path};
use crate::GeneratedFile;
use crate::compose::Composition;
use crate::ir::{Code, Ir};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

const DIR: &str = "bindings/winsock-ioctl-sys/src/generated";

pub(crate) fn emit(ir: &Ir) -> Vec<GeneratedFile> {
    vec![
        rust_file(format!("{DIR}/codes.rs"), "metadata/codes/*.toml", codes(ir)),
        rust_file(format!("{DIR}/errors.rs"), "metadata/errors.toml", errors(ir)),
        rust_file(format!("{DIR}/spi.rs"), "metadata/ffi.toml", spi(ir)),
        rust_file(format!("{DIR}/mod.rs"), "metadata/", module()),
    ]
}

fn module() -> TokenStream {
    quote! {
        //! Generated items; `lib.rs` re-exports them.
        pub mod codes;
        pub mod errors;
        pub mod ffi;
        pub mod spi;
    }
}

fn codes(ir: &Ir) -> TokenStream {
    let items = ir.codes.iter().map(code);
    quote! {
        //! Control-code values. Each is asserted at compile time to equal its composition.
        #![allow(clippy::unreadable_literal)]
        use crate::opcode::*;
        #(#items)*
    }
}

fn code(c: &Code) -> TokenStream {
    let name = format_ident!("{}", c.name);
    let hex = format!("{:#06x}_{:04x}", c.value >> 16, c.value & 0xffff);
    let lit = syn::LitInt::new(&hex, Span::call_site());
    let doc = format!(
        " {}\n\n Composed as `{}` in `{}`; see `{}`.",
        c.summary.en,
        c.composition,
        c.header,
        spec_path(&c.name)
    );
    let doc_tokens = super::doc(&doc);
    let compose = composition_expr(&c.composition);
    quote! {
        #doc_tokens
        pub const #name: u32 = #lit;
        const _: () = assert!(#name == #compose);
    }
}

fn composition_expr(c: &Composition) -> TokenStream {
    let mac = format_ident!("{}", c.mac().c_name());
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

fn spi(ir: &Ir) -> TokenStream {
    let aliases = ir.ffi.aliases.iter().map(|(name, target, header, doc)| {
        let n = format_ident!("{}", name);
        let t = rust_ty(target);
        let doc = format!(" {doc} (`{header}`)");
        let doc_tokens = super::doc(&doc);
        quote! {
            #doc_tokens
            pub type #n = #t;
        }
    });
    let structs = ir.ffi.structs.iter().map(|s| {
        let n = format_ident!("{}", s.name);
        let doc = format!(" {} (`{}`)", s.doc, s.header);
        let doc_tokens = super::doc(&doc);
        let fields = s.fields.iter().map(|(f, t, d)| {
            let f = format_ident!("{}", f);
            let t = rust_ty(t.rust);
            let d = format!(" {}", d.as_deref().unwrap_or(""));
            quote! {
                #[doc = #d]
                pub #f: #t
            }
        });
        let asserts = |(size, align, offsets): &(u32, u32, Vec<u32>), width: &str| {
            let size = *size as usize;
            let align = *align as usize;
            let offs = s.fields.iter().zip(offsets).map(|((f, _, _), o)| {
                let f = format_ident!("{}", f);
                let o = *o as usize;
                quote!(assert!(core::mem::offset_of!(#n, #f) == #o);)
            });
            quote! {
                #[cfg(target_pointer_width = #width)]
                const _: () = {
                    assert!(core::mem::size_of::<#n>() == #size);
                    assert!(core::mem::align_of::<#n>() == #align);
                    #(#offs)*
                };
            }
        };
        let a64 = asserts(&s.layout64, "64");
        let a32 = asserts(&s.layout32, "32");
        quote! {
            #doc_tokens
            #[repr(C)]
            #[derive(Clone, Copy)]
            pub struct #n {
                #(#fields,)*
            }
            #a64
            #a32
        }
    });
    let fnptrs = ir.ffi.function_pointers.iter().map(|f| {
        let n = format_ident!("{}", f.name);
        let doc = format!(" {} (`{}`)", f.doc, f.header);
        let doc_tokens = super::doc(&doc);
        let params = f.params.iter().map(|(p, t)| {
            let p = format_ident!("{}", p);
            let t = rust_ty(t.rust);
            quote!(#p: #t)
        });
        let r = rust_ty(f.returns.rust);
        quote! {
            #doc_tokens
            pub type #n = Option<unsafe extern "system" fn(#(#params),*) -> #r>;
        }
    });
    quote! {
        //! Service-provider items that the Win32 metadata lacks, from `metadata/ffi.toml`, with
        //! their layouts asserted for 32- and 64-bit targets.
        use super::ffi::*;
        #(#aliases)*
        #(#structs)*
        #(#fnptrs)*
    }
}
