//! Shared fixtures for the criterion benches in `benches/`.
#![warn(missing_docs)]

/// A small `tools/call` request, as a client sends it.
pub const SMALL_TOOLS_CALL: &str = r#"{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello world"},"_meta":{"progressToken":7}}}"#;

/// A `tools/call` result whose one text block holds `len` bytes of text.
pub fn large_tool_result(len: usize) -> String {
    let text: String = (0..len).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    format!(
        r#"{{"jsonrpc":"2.0","id":42,"result":{{"content":[{{"type":"text","text":"{text}"}}],"isError":false}}}}"#
    )
}

/// A `tools/list` result with `n` tools, each with a small input schema.
pub fn tools_list_result(n: usize) -> String {
    let tools: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"name":"tool_{i}","title":"Tool {i}","description":"Does thing number {i} to its input.","inputSchema":{{"type":"object","properties":{{"a":{{"type":"integer"}},"b":{{"type":"string","description":"the b"}}}},"required":["a"]}},"annotations":{{"readOnlyHint":true}}}}"#
            )
        })
        .collect();
    format!(r#"{{"jsonrpc":"2.0","id":1,"result":{{"tools":[{}]}}}}"#, tools.join(","))
}

/// The `echo` tool both SDKs serve in the round-trip benches: one string argument, returned
/// as a single text block.
pub const ECHO_TOOL: &str = "echo";

/// The text every round trip sends (and gets back).
pub const ECHO_TEXT: &str = "hello world";

/// The `echo` tool's arguments.
#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct EchoArgs {
    /// The text to echo.
    pub text: String,
}

/// mcp-sansio's echo server: one tool, [`ECHO_TOOL`].
pub fn echo_server() -> mcp_sansio::server::Server {
    use mcp_sansio::server::{Context, ServerBuilder};
    ServerBuilder::new("mcp-sansio-echo", "1.0.0")
        .tool(ECHO_TOOL, "Echoes its text", |a: EchoArgs, _ctx: Context| async move { a.text })
        .build()
        .expect("the echo server's tool is valid")
}

/// rmcp's echo server: the same tool, written the way rmcp's documentation writes tools
/// (`#[tool_router]` and `#[tool]`).
pub mod rmcp_echo {
    use rmcp::handler::server::router::tool::ToolRouter;
    use rmcp::handler::server::wrapper::Parameters;
    use rmcp::model::{ServerCapabilities, ServerConfig};
    use rmcp::{ServerHandler, tool, tool_handler, tool_router};

    /// The `echo` tool's arguments, with rmcp's schemars.
    #[derive(serde::Deserialize, rmcp::schemars::JsonSchema)]
    pub struct EchoArgs {
        /// The text to echo.
        pub text: String,
    }

    /// An rmcp [`ServerHandler`] with one tool, `echo`.
    #[derive(Clone)]
    pub struct Echo {
        tool_router: ToolRouter<Self>,
    }

    impl Default for Echo {
        fn default() -> Self {
            Echo { tool_router: Self::tool_router() }
        }
    }

    #[tool_router]
    impl Echo {
        /// Echoes its text.
        #[tool(description = "Echoes its text")]
        fn echo(&self, Parameters(EchoArgs { text }): Parameters<EchoArgs>) -> String {
            text
        }
    }

    // The router built once and kept in the handler (the macro's default builds it per call).
    #[tool_handler(router = self.tool_router)]
    impl ServerHandler for Echo {
        fn get_info(&self) -> ServerConfig {
            ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
        }
    }
}

/// rmcp's `StreamableHttpService` (default settings, in-memory sessions) serving
/// [`rmcp_echo::Echo`] on `listener`, mounted in hyper the way hyper-util adapts any tower
/// service. Returns the accept loop's task.
pub async fn rmcp_http_server(listener: std::net::TcpListener) -> tokio::task::JoinHandle<()> {
    use hyper_util::rt::TokioIo;
    use hyper_util::service::TowerToHyperService;
    use rmcp::transport::StreamableHttpService;
    use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;

    let service = StreamableHttpService::new(
        || Ok(rmcp_echo::Echo::default()),
        std::sync::Arc::new(LocalSessionManager::default()),
        Default::default(),
    );
    listener.set_nonblocking(true).expect("a non-blocking listener");
    let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let service = TowerToHyperService::new(service.clone());
            tokio::spawn(async move {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}

/// An echo server binary serving HTTP in a child process (the `http` mode of
/// `mcp-sansio-echo-server` and `rmcp-echo-server`), killed when this is dropped.
pub struct HttpServerProcess(std::process::Child);

impl HttpServerProcess {
    /// Starts `program` with `args`, and reads the URL it prints as its first line.
    pub fn spawn(program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> (Self, String) {
        let mut child = std::process::Command::new(program)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("the echo server starts");
        let stdout = child.stdout.take().expect("the server's stdout");
        let mut url = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut url)
            .expect("the server prints its URL");
        (HttpServerProcess(child), url.trim().to_owned())
    }
}

impl Drop for HttpServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
