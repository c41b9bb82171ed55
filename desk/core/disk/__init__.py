"""The database's files on disk: every file desk writes goes through `files`
(written whole or not at all), and the open database's files are held (`live`,
`holder`)."""
