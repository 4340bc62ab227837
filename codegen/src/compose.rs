//! Parses and evaluates a control code's composition, such as `_WSAIOW(IOC_VENDOR, 16)` or
//! `_IOR('t', 123, ULONG)`, the way the Winsock headers compute it.

use crate::ctypes;
use std::fmt;

/// Bits of a control code, from `winsock2.h` / `ws2def.h`.
pub mod bits {
    /// Mask of the parameter size in the Unix-style `_IOR`/`_IOW` forms.
    pub const IOCPARM_MASK: u32 = 0x7f;
    /// The code takes no parameters.
    pub const IOC_VOID: u32 = 0x2000_0000;
    /// The code returns data in the output buffer.
    pub const IOC_OUT: u32 = 0x4000_0000;
    /// The code reads data from the input buffer.
    pub const IOC_IN: u32 = 0x8000_0000;
    /// Type 0: a Unix-style code.
    pub const IOC_UNIX: u32 = 0x0000_0000;
    /// Type 1: a generic Windows Sockets 2 code.
    pub const IOC_WS2: u32 = 0x0800_0000;
    /// Type 2: a code for one address family.
    pub const IOC_PROTOCOL: u32 = 0x1000_0000;
    /// Type 3: a vendor-specific code.
    pub const IOC_VENDOR: u32 = 0x1800_0000;
}

/// The macro a code is built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[allow(non_camel_case_types)]
pub enum Macro {
    /// `_IO(x, y)`
    Io,
    /// `_IOR(x, y, t)`
    Ior,
    /// `_IOW(x, y, t)`
    Iow,
    /// `_WSAIO(x, y)`
    WsaIo,
    /// `_WSAIOR(x, y)`
    WsaIor,
    /// `_WSAIOW(x, y)`
    WsaIow,
    /// `_WSAIORW(x, y)`
    WsaIorw,
}

impl Macro {
    /// The macro's name as in the headers (and in the sys crate's `opcode` module).
    pub fn c_name(self) -> &'static str {
        match self {
            Macro::Io => "_IO",
            Macro::Ior => "_IOR",
            Macro::Iow => "_IOW",
            Macro::WsaIo => "_WSAIO",
            Macro::WsaIor => "_WSAIOR",
            Macro::WsaIow => "_WSAIOW",
            Macro::WsaIorw => "_WSAIORW",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Macro::Io, Macro::Ior, Macro::Iow, Macro::WsaIo, Macro::WsaIor, Macro::WsaIow, Macro::WsaIorw]
            .into_iter()
            .find(|m| m.c_name() == s)
    }

    /// The data direction the macro encodes.
    pub fn direction(self) -> Direction {
        match self {
            Macro::Io | Macro::WsaIo => Direction::Void,
            Macro::Ior | Macro::WsaIor => Direction::Out,
            Macro::Iow | Macro::WsaIow => Direction::In,
            Macro::WsaIorw => Direction::InOut,
        }
    }
}

/// The I/O direction bits of a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `IOC_VOID`: no buffers.
    Void,
    /// `IOC_IN`: input buffer only.
    In,
    /// `IOC_OUT`: output buffer only.
    Out,
    /// `IOC_IN | IOC_OUT`: both.
    InOut,
}

impl Direction {
    /// The direction that buffers with these uses call for.
    pub fn from_uses(input: bool, output: bool) -> Self {
        match (input, output) {
            (false, false) => Direction::Void,
            (true, false) => Direction::In,
            (false, true) => Direction::Out,
            (true, true) => Direction::InOut,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Void => "IOC_VOID (no buffers)",
            Direction::In => "IOC_IN (input only)",
            Direction::Out => "IOC_OUT (output only)",
            Direction::InOut => "IOC_IN|IOC_OUT (input and output)",
        })
    }
}

/// The `x` of a `_WSAIO*` macro.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `IOC_UNIX`
    Unix,
    /// `IOC_WS2`
    Ws2,
    /// `IOC_PROTOCOL`
    Protocol,
    /// `IOC_VENDOR`
    Vendor,
}

impl Family {
    /// Name of the constant.
    pub fn c_name(self) -> &'static str {
        match self {
            Family::Unix => "IOC_UNIX",
            Family::Ws2 => "IOC_WS2",
            Family::Protocol => "IOC_PROTOCOL",
            Family::Vendor => "IOC_VENDOR",
        }
    }

    fn value(self) -> u32 {
        match self {
            Family::Unix => bits::IOC_UNIX,
            Family::Ws2 => bits::IOC_WS2,
            Family::Protocol => bits::IOC_PROTOCOL,
            Family::Vendor => bits::IOC_VENDOR,
        }
    }
}

/// A parsed composition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Composition {
    /// `_IO`, `_IOR` or `_IOW`: a group character, a number and (for R/W) a parameter type.
    Unix {
        /// Which macro.
        mac: Macro,
        /// The group, usually a character literal such as `'t'`.
        group: u8,
        /// The command number.
        number: u8,
        /// Parameter type for `_IOR`/`_IOW`.
        ty: Option<ctypes::CType>,
    },
    /// A bitwise OR of literal values, for the few header definitions that build a code from
    /// their own constants instead of the macros (qossp.h's `SIO_CHK_QOS`).
    Bits {
        /// The values OR-ed together, as written.
        terms: Vec<u32>,
    },
    /// `_WSAIO*`: a family and a code number.
    Wsa {
        /// Which macro.
        mac: Macro,
        /// The family constant.
        family: Family,
        /// The code number.
        number: u16,
    },
}

impl Composition {
    /// The macro used, if any.
    pub fn mac(&self) -> Option<Macro> {
        match self {
            Composition::Unix { mac, .. } | Composition::Wsa { mac, .. } => Some(*mac),
            Composition::Bits { .. } => None,
        }
    }

    /// The direction its bits encode.
    pub fn direction(&self) -> Direction {
        match self.mac() {
            Some(m) => m.direction(),
            None => {
                let v = self.value();
                match (v & bits::IOC_IN != 0, v & bits::IOC_OUT != 0) {
                    (false, false) => Direction::Void,
                    (true, false) => Direction::In,
                    (false, true) => Direction::Out,
                    (true, true) => Direction::InOut,
                }
            }
        }
    }

    /// The value the headers compute.
    pub fn value(&self) -> u32 {
        use bits::*;
        match *self {
            Composition::Unix { mac, group, number, ty } => {
                let base = (u32::from(group) << 8) | u32::from(number);
                let size = ty.map_or(0, |t| (t.size & IOCPARM_MASK) << 16);
                match mac {
                    Macro::Io => IOC_VOID | base,
                    Macro::Ior => IOC_OUT | size | base,
                    Macro::Iow => IOC_IN | size | base,
                    _ => unreachable!("parser only builds Unix forms from _IO/_IOR/_IOW"),
                }
            }
            Composition::Bits { ref terms } => terms.iter().fold(0, |a, t| a | t),
            Composition::Wsa { mac, family, number } => {
                let dir = match mac {
                    Macro::WsaIo => IOC_VOID,
                    Macro::WsaIor => IOC_OUT,
                    Macro::WsaIow => IOC_IN,
                    Macro::WsaIorw => IOC_IN | IOC_OUT,
                    _ => unreachable!("parser only builds WSA forms from _WSAIO*"),
                };
                dir | family.value() | u32::from(number)
            }
        }
    }
}

impl fmt::Display for Composition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Composition::Unix { mac, group, number, ty } => {
                let g = if group.is_ascii_graphic() { format!("'{}'", *group as char) } else { group.to_string() };
                match ty {
                    Some(t) => write!(f, "{}({g}, {number}, {})", mac.c_name(), t.c),
                    None => write!(f, "{}({g}, {number})", mac.c_name()),
                }
            }
            Composition::Wsa { mac, family, number } => write!(f, "{}({}, {number})", mac.c_name(), family.c_name()),
            Composition::Bits { terms } => {
                let parts: Vec<String> = terms.iter().map(|t| format!("{t:#010x}")).collect();
                f.write_str(&parts.join(" | "))
            }
        }
    }
}

/// A parse error with the byte range (within the composition string) it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte range inside the composition text.
    pub at: std::ops::Range<usize>,
    /// What is wrong.
    pub message: String,
}

/// Parses a composition such as `_WSAIOW(IOC_VENDOR, 16)`, or a bitwise OR of hexadecimal
/// literals such as `0x80000000 | 0x00000001`.
pub fn parse(text: &str) -> Result<Composition, ParseError> {
    let err = |at: std::ops::Range<usize>, m: String| ParseError { at, message: m };
    if text.trim_start().starts_with("0x") {
        let mut terms = Vec::new();
        let mut at = 0;
        for part in text.split('|') {
            let t = part.trim();
            let start = at + (part.len() - part.trim_start().len());
            let v = t.strip_prefix("0x").and_then(|h| u32::from_str_radix(&h.replace('_', ""), 16).ok());
            match v {
                Some(v) => terms.push(v),
                None => return Err(err(start..start + t.len(), format!("expected a hexadecimal literal such as 0x18000000, found `{t}`"))),
            }
            at += part.len() + 1;
        }
        return Ok(Composition::Bits { terms });
    }
    let open = text.find('(').ok_or_else(|| err(0..text.len(), "expected MACRO(args), e.g. `_WSAIOW(IOC_VENDOR, 16)`".into()))?;
    let name = text[..open].trim();
    let mac = Macro::parse(name).ok_or_else(|| {
        err(0..open, format!("unknown macro `{name}`; expected one of _IO, _IOR, _IOW, _WSAIO, _WSAIOR, _WSAIOW, _WSAIORW"))
    })?;
    let close = text
        .rfind(')')
        .filter(|&c| c > open && text[c + 1..].trim().is_empty())
        .ok_or_else(|| err(open..text.len(), "expected `)` at the end of the composition".into()))?;
    // Split the arguments, remembering where each starts.
    let mut args = Vec::new();
    let mut start = open + 1;
    for (i, ch) in text[open + 1..close].char_indices() {
        if ch == ',' {
            args.push((start, &text[start..open + 1 + i]));
            start = open + 1 + i + 1;
        }
    }
    args.push((start, &text[start..close]));
    let args: Vec<(std::ops::Range<usize>, &str)> = args
        .into_iter()
        .map(|(s, a)| {
            let lead = a.len() - a.trim_start().len();
            let t = a.trim();
            (s + lead..s + lead + t.len(), t)
        })
        .collect();
    let want = match mac {
        Macro::Ior | Macro::Iow => 3,
        _ => 2,
    };
    if args.len() != want {
        return Err(err(open..close + 1, format!("`{}` takes {want} arguments, found {}", mac.c_name(), args.len())));
    }
    let number = |(at, a): &(std::ops::Range<usize>, &str), max: u32| -> Result<u32, ParseError> {
        let v = parse_int(a).ok_or_else(|| err(at.clone(), format!("expected an integer, found `{a}`")))?;
        if v > max {
            return Err(err(at.clone(), format!("{v} does not fit in the field (maximum {max})")));
        }
        Ok(v)
    };
    match mac {
        Macro::Io | Macro::Ior | Macro::Iow => {
            let (gat, g) = &args[0];
            let group = if let Some(c) = g.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
                let mut chars = c.chars();
                match (chars.next(), chars.next()) {
                    (Some(ch), None) if ch.is_ascii() => ch as u8,
                    _ => return Err(err(gat.clone(), format!("expected a one-character ASCII literal, found {g}"))),
                }
            } else {
                number(&args[0], 0xff)? as u8
            };
            let num = number(&args[1], 0xff)? as u8;
            let ty = if want == 3 {
                let (tat, t) = &args[2];
                Some(ctypes::lookup_fixed(t).ok_or_else(|| {
                    let known: Vec<_> = ctypes::names().filter(|n| ctypes::lookup_fixed(n).is_some()).collect();
                    err(tat.clone(), format!("unknown parameter type `{t}`; known: {}", known.join(", ")))
                })?)
            } else {
                None
            };
            Ok(Composition::Unix { mac, group, number: num, ty })
        }
        _ => {
            let (fat, f) = &args[0];
            let family = match *f {
                "IOC_UNIX" => Family::Unix,
                "IOC_WS2" => Family::Ws2,
                "IOC_PROTOCOL" => Family::Protocol,
                "IOC_VENDOR" => Family::Vendor,
                other => {
                    return Err(err(
                        fat.clone(),
                        format!("unknown family `{other}`; expected IOC_UNIX, IOC_WS2, IOC_PROTOCOL or IOC_VENDOR"),
                    ));
                }
            };
            let number = number(&args[1], 0xffff)? as u16;
            Ok(Composition::Wsa { mac, family, number })
        }
    }
}

fn parse_int(s: &str) -> Option<u32> {
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) { u32::from_str_radix(hex, 16).ok() } else { s.parse().ok() }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_bitwise_or_of_literals_is_a_composition_too() {
        let c = parse("0x80000000 | 0x40000000 | 0x04000000 | 0x18000000 | 0x00000001").unwrap();
        assert_eq!(c.value(), 0xdc00_0001);
        assert_eq!(c.direction(), Direction::InOut);
        assert_eq!(c.mac(), None);
        assert_eq!(c.to_string(), "0x80000000 | 0x40000000 | 0x04000000 | 0x18000000 | 0x00000001");
        let e = parse("0x80000000 | IOC_IN").unwrap_err();
        assert_eq!(e.at, 13..19);
    }

    use super::*;

    #[test]
    fn seed_codes_compose_to_their_header_values() {
        let cases = [
            ("_WSAIOW(IOC_VENDOR,16)", 0x9800_0010),
            ("_IO('t', 122)", 0x2000_747a),
            ("_IOR('t',123,ULONG)", 0x4004_747b),
            ("_WSAIO(IOC_WS2, 23)", 0x2800_0017),
            ("_IOW('f', 126, u_long)", 0x8004_667e), // FIONBIO
        ];
        for (text, value) in cases {
            let c = parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(c.value(), value, "{text}");
        }
    }

    #[test]
    fn errors_point_at_the_bad_argument() {
        let e = parse("_WSAIOW(IOC_VENDER, 16)").unwrap_err();
        assert_eq!(e.at, 8..18);
        let e = parse("_IOR('t', 123, LONGLONG)").unwrap_err();
        assert_eq!(&"_IOR('t', 123, LONGLONG)"[e.at], "LONGLONG");
        assert!(parse("_WSAIO(IOC_WS2, 70000)").is_err());
        assert!(parse("_IO('t')").is_err());
        assert!(parse("WSAIO(IOC_WS2, 1)").is_err());
    }
}
