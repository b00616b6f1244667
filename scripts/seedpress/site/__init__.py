"""The site: the generation stage (a plain build tree from the sources), the engines that
build it (MkDocs through its hook, the only place MkDocs builds; Zensical from the
written tree), and what the stage adds around pages ("Read next", the footer, the
review line, the CSS bundle). What a page says and links to is :mod:`seedpress.pages`."""
