"""The knowledge base: articles that answer a customer's question before a request is needed (rule T7).

Build time (`portal kb build`): `articles` reads the Markdown files, `render` turns them into sanitized
HTML, `index` writes one read-only SQLite file with an FTS5 index. Run time: `store` opens that file
with the standard library only; Markdown, YAML and the sanitizer never load in a web request.
"""
