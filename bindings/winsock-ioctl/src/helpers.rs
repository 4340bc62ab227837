//! Conveniences built on the generated wrappers, for what event loops do with several codes
//! together. Safe code.

/// The socket of the base service provider under `socket`: what an event loop must register
/// with the AFD driver (as mio and polling do) instead of a socket a layered service provider
/// (LSP) handed out.
///
/// Asks `SIO_BASE_HANDLE` first, which LSPs are not meant to intercept. Some do break it; when it
/// fails, the answer of `SIO_BSP_HANDLE_SELECT`, then `SIO_BSP_HANDLE_POLL`, then
/// `SIO_BSP_HANDLE` is taken, but only if it differs from `socket` itself: an LSP that broke
/// `SIO_BASE_HANDLE` and answers the others with the socket it was given has not revealed its
/// base. If none gives a usable answer, the error of `SIO_BASE_HANDLE` is returned.
///
/// Built with the features of all four codes (or `full`).
#[cfg(all(
    windows,
    feature = "SIO_BASE_HANDLE",
    feature = "SIO_BSP_HANDLE",
    feature = "SIO_BSP_HANDLE_POLL",
    feature = "SIO_BSP_HANDLE_SELECT"
))]
#[doc(alias = "SIO_BASE_HANDLE")]
#[doc(alias = "SIO_BSP_HANDLE")]
pub fn base_socket(socket: impl std::os::windows::io::AsSocket) -> Result<std::os::windows::io::RawSocket, crate::BaseHandleError> {
    use crate::{base_handle, bsp_handle, bsp_handle_poll, bsp_handle_select};
    use std::os::windows::io::{AsRawSocket, BorrowedSocket, RawSocket};
    let s = socket.as_socket();
    let fallbacks: [fn(BorrowedSocket<'_>) -> Option<RawSocket>; 3] =
        [|s| bsp_handle_select(s).ok(), |s| bsp_handle_poll(s).ok(), |s| bsp_handle(s).ok()];
    pick_base(base_handle(s), s.as_raw_socket(), fallbacks.iter().map(|ask| ask(s)))
}

/// The rule of [`base_socket`]: the first answer if it succeeded; otherwise the first fallback
/// answer that differs from `own` (fallbacks are asked lazily, in order); otherwise the first
/// error.
#[cfg_attr(
    not(all(
        windows,
        feature = "SIO_BASE_HANDLE",
        feature = "SIO_BSP_HANDLE",
        feature = "SIO_BSP_HANDLE_POLL",
        feature = "SIO_BSP_HANDLE_SELECT"
    )),
    allow(dead_code)
)]
fn pick_base<S: PartialEq, E>(first: Result<S, E>, own: S, mut fallbacks: impl Iterator<Item = Option<S>>) -> Result<S, E> {
    match first {
        Ok(base) => Ok(base),
        Err(e) => fallbacks.find_map(|answer| answer.filter(|base| *base != own)).ok_or(e),
    }
}

#[cfg(test)]
mod tests {
    use super::pick_base;
    use std::cell::Cell;

    #[test]
    fn the_base_handle_answer_wins_and_no_fallback_is_asked() {
        let asked = Cell::new(0);
        let fallbacks = (0..3).map(|_| {
            asked.set(asked.get() + 1);
            Some(9)
        });
        assert_eq!(pick_base::<u64, &str>(Ok(5), 7, fallbacks), Ok(5));
        assert_eq!(asked.get(), 0);
    }

    #[test]
    fn a_fallback_is_taken_only_when_it_differs_from_the_socket() {
        // SIO_BSP_HANDLE_SELECT echoes the socket (an LSP that reveals nothing), POLL fails,
        // SIO_BSP_HANDLE gives the base.
        assert_eq!(pick_base(Err("broken"), 7u64, [Some(7), None, Some(3)].into_iter()), Ok(3));
        // The first usable answer is taken; later ones are not asked.
        let asked = Cell::new(0);
        let answers = [Some(4), Some(5)].into_iter().inspect(|_| asked.set(asked.get() + 1));
        assert_eq!(pick_base(Err("broken"), 7u64, answers), Ok(4));
        assert_eq!(asked.get(), 1);
    }

    #[test]
    fn without_a_usable_fallback_the_first_error_is_returned() {
        assert_eq!(pick_base(Err("base failed"), 7u64, [Some(7), None, Some(7)].into_iter()), Err("base failed"));
        assert_eq!(pick_base(Err("base failed"), 7u64, std::iter::empty()), Err("base failed"));
    }
}
