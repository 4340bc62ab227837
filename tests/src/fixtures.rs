//! Sockets prepared for runtime tests. Each fixture owns everything it creates, so a test only
//! borrows `fx.socket()` and all handles close when the fixture drops.

use socket2::{Domain, Protocol, Socket, Type};
use std::io::Write;
use std::mem::MaybeUninit;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::windows::io::{AsRawHandle, AsSocket, BorrowedSocket, RawSocket};
use std::time::{Duration, Instant};

/// A socket (or non-socket) to call a control code on, with whatever keeps it alive.
pub struct Fixture {
    kind: Kind,
}

enum Kind {
    /// A real socket; the others keep a connection's peer and listener alive.
    Socket { target: Socket, _keep: Vec<Socket> },
    /// A handle that is open but is not a socket.
    NotASocket(std::fs::File),
}

impl Fixture {
    /// The socket under test.
    pub fn socket(&self) -> BorrowedSocket<'_> {
        match &self.kind {
            Kind::Socket { target, .. } => target.as_socket(),
            Kind::NotASocket(file) => {
                #[allow(unsafe_code)]
                // SAFETY: the handle is an open file owned by this fixture and outlives the
                // borrow. It is not a socket, which is the point: Winsock only looks the value
                // up and fails; no Rust code treats it as a socket's memory.
                unsafe {
                    BorrowedSocket::borrow_raw(file.as_raw_handle() as RawSocket)
                }
            }
        }
    }

    /// The socket under test, owned (for tests that close it themselves).
    pub fn into_socket(self) -> Socket {
        match self.kind {
            Kind::Socket { target, .. } => target,
            Kind::NotASocket(_) => panic!("the invalid-socket fixture has no socket"),
        }
    }
}

fn any_v4() -> SocketAddr {
    "127.0.0.1:0".parse().expect("valid address")
}

/// An open file handle standing in for a descriptor that is not a socket. (There is no fixture
/// for `INVALID_SOCKET`: std's `BorrowedSocket` refuses that value, so no safe call can pass it.)
pub fn invalid_socket() -> Fixture {
    let file = std::fs::File::open(std::env::current_exe().expect("test binary path")).expect("open own exe");
    Fixture { kind: Kind::NotASocket(file) }
}

/// A fresh IPv4 UDP socket (unbound).
pub fn udp() -> Fixture {
    let s = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP)).expect("UDP socket");
    Fixture { kind: Kind::Socket { target: s, _keep: Vec::new() } }
}

/// A fresh IPv4 UDP socket in non-blocking mode.
pub fn udp_nonblocking() -> Fixture {
    let s = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP)).expect("UDP socket");
    s.set_nonblocking(true).expect("FIONBIO");
    Fixture { kind: Kind::Socket { target: s, _keep: Vec::new() } }
}

/// A fresh IPv4 UDP socket made by `WSASocketW` without `WSA_FLAG_OVERLAPPED`: a handle opened
/// for synchronous I/O, on which Windows ignores an OVERLAPPED.
pub fn udp_not_overlapped() -> Fixture {
    use std::os::windows::io::FromRawSocket;
    use windows_sys::Win32::Networking::WinSock as ws;
    // Winsock is started by std's first socket call; make one so WSASocketW finds it started.
    drop(std::net::UdpSocket::bind(any_v4()).expect("a std socket starts Winsock"));
    #[allow(unsafe_code)]
    // SAFETY: WSASocketW with a NULL protocol-info pointer reads nothing else; it returns a new
    // socket or INVALID_SOCKET.
    let raw = unsafe { ws::WSASocketW(ws::AF_INET as i32, ws::SOCK_DGRAM, ws::IPPROTO_UDP, std::ptr::null(), 0, 0) };
    assert_ne!(raw, ws::INVALID_SOCKET, "WSASocketW without WSA_FLAG_OVERLAPPED");
    #[allow(unsafe_code)]
    // SAFETY: `raw` is a socket just created and owned by nobody else; the Socket closes it once.
    let s = unsafe { Socket::from_raw_socket(raw as RawSocket) };
    Fixture { kind: Kind::Socket { target: s, _keep: Vec::new() } }
}

/// A fresh IPv4 TCP socket, neither connected nor listening.
pub fn tcp_unconnected() -> Fixture {
    let s = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).expect("TCP socket");
    Fixture { kind: Kind::Socket { target: s, _keep: Vec::new() } }
}

/// A listening IPv4 TCP socket on loopback.
pub fn tcp_listening() -> Fixture {
    let l = TcpListener::bind(any_v4()).expect("listen on loopback");
    Fixture { kind: Kind::Socket { target: Socket::from(l), _keep: Vec::new() } }
}

/// The client end of an established IPv4 loopback TCP connection; the accepted end and the
/// listener are kept open.
pub fn tcp_connected() -> Fixture {
    let (client, server, listener) = tcp_pair();
    Fixture { kind: Kind::Socket { target: Socket::from(client), _keep: vec![Socket::from(server), Socket::from(listener)] } }
}

/// An established loopback connection: (client, accepted server end, listener).
pub fn tcp_pair() -> (TcpStream, TcpStream, TcpListener) {
    let listener = TcpListener::bind(any_v4()).expect("listen on loopback");
    let client = TcpStream::connect(listener.local_addr().expect("bound")).expect("connect");
    let (server, _) = listener.accept().expect("accept");
    (client, server, listener)
}

/// A fresh IPv6 UDP socket (unbound).
pub fn udp6() -> Fixture {
    let s = Socket::new(Domain::IPV6, Type::DGRAM, Some(Protocol::UDP)).expect("UDP socket");
    Fixture { kind: Kind::Socket { target: s, _keep: Vec::new() } }
}

/// How long a fixture waits for loopback data to arrive.
const ARRIVAL: Duration = Duration::from_secs(10);

/// Waits until `s` has at least `n` bytes queued, by peeking (which consumes nothing).
fn wait_for_bytes(s: &Socket, n: usize) {
    let deadline = Instant::now() + ARRIVAL;
    let mut buf = [MaybeUninit::<u8>::uninit(); 64];
    s.set_read_timeout(Some(ARRIVAL)).expect("read timeout");
    loop {
        let got = s.peek(&mut buf).expect("queued data arrives");
        if got >= n {
            break;
        }
        assert!(Instant::now() < deadline, "only {got} of {n} bytes arrived");
        std::thread::sleep(Duration::from_millis(5));
    }
    s.set_read_timeout(None).expect("read timeout");
}

/// An IPv4 UDP socket bound to loopback that has sent itself two datagrams, of 3 and 4 bytes.
pub fn udp_with_datagrams() -> Fixture {
    let s = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP)).expect("UDP socket");
    s.bind(&any_v4().into()).expect("bind to loopback");
    let me = s.local_addr().expect("bound");
    s.send_to(b"abc", &me).expect("first datagram");
    s.send_to(b"defg", &me).expect("second datagram");
    wait_for_bytes(&s, 3);
    // Loopback delivers in order; give the second datagram the same chance to land.
    std::thread::sleep(Duration::from_millis(50));
    Fixture { kind: Kind::Socket { target: s, _keep: Vec::new() } }
}

/// The client end of a loopback connection whose peer has sent `hello` (5 bytes).
pub fn tcp_connected_with_data() -> Fixture {
    let (client, mut server, listener) = tcp_pair();
    server.write_all(b"hello").expect("peer sends");
    let client = Socket::from(client);
    wait_for_bytes(&client, 5);
    Fixture { kind: Kind::Socket { target: client, _keep: vec![Socket::from(server), Socket::from(listener)] } }
}

/// The client end of a loopback connection whose peer has sent `ab`, then `x` out of band, then
/// `cd`; `SO_OOBINLINE` is off, so the urgent byte is not part of the stream.
pub fn tcp_connected_oob() -> Fixture {
    let (client, server, listener) = tcp_pair();
    let server = Socket::from(server);
    server.send(b"ab").expect("normal data");
    server.send_out_of_band(b"x").expect("urgent byte");
    server.send(b"cd").expect("normal data after the mark");
    let client = Socket::from(client);
    // A peek stops at the urgent mark, so wait for the two bytes before it and give the rest of
    // the loopback delivery a moment.
    wait_for_bytes(&client, 2);
    std::thread::sleep(Duration::from_millis(50));
    Fixture { kind: Kind::Socket { target: client, _keep: vec![server, Socket::from(listener)] } }
}
