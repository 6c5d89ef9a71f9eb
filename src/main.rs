//! The `docket` binary: parses the command line and hands over to the server crate.

fn main() -> std::process::ExitCode {
    // glibc gives threads that allocate at once arenas of their own (up to eight per core) and
    // keeps what they free; the async workers and one thread per SQLite connection would hold
    // many. Two arenas keep the server's peak memory close to what it uses.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: called before any other thread exists; mallopt only sets an allocator limit.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
    // Rendering deeply nested views recurses; unoptimised builds need more stack than tokio's
    // default 2 MiB per worker.
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(8 * 1024 * 1024)
        .build()
        .expect("start the async runtime")
        .block_on(docket::server::cli::run())
}
