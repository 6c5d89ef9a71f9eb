//! The `docket` binary: parses the command line and hands over to the server crate.

// Many threads allocate at once (the async workers, one thread per SQLite connection): glibc's
// malloc serialised them on its arena locks; mimalloc keeps a heap per thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Rendering deeply nested views recurses; unoptimised builds need more stack than tokio's
    // default 2 MiB per worker.
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(8 * 1024 * 1024)
        .build()
        .expect("start the async runtime")
        .block_on(docket::server::cli::run())
}
