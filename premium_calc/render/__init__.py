"""5. Renderers: results -> terminal tables and charts (rich), text, JSON/CSV and PNG/SVG charts
(matplotlib), in Chinese or English. The library below returns structured results; only this layer
and the CLI turn them into words.
"""
