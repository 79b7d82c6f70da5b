//! The Python SDK README's first server, in Rust: an `add` tool, a `greeting://{name}`
//! resource template and a `greet_user` prompt, served over stdio.
//!
//! ```sh
//! cargo run -p mcp-sansio-tokio --example quickstart
//! ```

use mcp_sansio::jsonrpc::ErrorObject;
use mcp_sansio::server::{Context, PromptDef, ResourceDef, ServerBuilder};
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Deserialize, JsonSchema)]
struct Add {
    a: i64,
    b: i64,
}

#[derive(Deserialize)]
struct Greeting {
    name: String,
}

#[derive(Deserialize, JsonSchema)]
struct GreetUser {
    /// Who to greet.
    name: String,
    /// friendly, formal or casual.
    style: Option<String>,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let server = ServerBuilder::new("Demo", "1.0.0")
        .tool("add", "Add two numbers", |args: Add, _ctx: Context| async move {
            (args.a + args.b).to_string()
        })
        .resource_template(
            ResourceDef::new("greeting://{name}", "greeting", "text/plain")
                .description("Get a personalized greeting"),
            |g: Greeting, _ctx| async move { Ok::<_, ErrorObject>(format!("Hello, {}!", g.name)) },
        )
        .prompt(
            PromptDef::new("greet_user", "Generate a greeting prompt"),
            |p: GreetUser, _ctx| async move {
                let style = match p.style.as_deref().unwrap_or("friendly") {
                    "formal" => "Please write a formal, professional greeting",
                    "casual" => "Please write a casual, relaxed greeting",
                    _ => "Please write a warm, friendly greeting",
                };
                Ok::<_, ErrorObject>(format!("{style} for someone named {}.", p.name))
            },
        )
        .build()
        .expect("valid definitions");
    mcp_sansio_tokio::serve_stdio(server).await
}
