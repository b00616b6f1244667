<?xml version="1.0" encoding="UTF-8"?>
<!--
  How a browser shows the site's RSS feeds (feed_rss_created.xml and
  feed_rss_updated.xml) to a person who opens one: the feed's title, what it
  is for, and each guide with its date and summary. Feed readers ignore it.
  Written for seedpress; both engines' feeds point here (rss.xsl).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom">

  <xsl:output method="html" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta charset="UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1.0"/>
        <title><xsl:value-of select="rss/channel/title"/>: feed</title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 0 auto;
                 padding: 1.5rem 1rem; color: #1d2a3a; background: #fbfaf7; line-height: 1.5; }
          header { border-bottom: 1px solid #d9d4c7; margin-bottom: 1.5rem; }
          .note { background: #f1ede3; padding: 0.75rem 1rem; border-radius: 6px; }
          article { margin-bottom: 1.5rem; }
          article h2 { font-size: 1.15rem; margin: 0 0 0.25rem; }
          .date { color: #5b6470; font-size: 0.9rem; margin: 0; }
          a { color: #1f5fa8; }
        </style>
      </head>
      <body>
        <header>
          <h1><xsl:value-of select="rss/channel/title"/></h1>
          <p><xsl:value-of select="rss/channel/description"/></p>
          <p class="note">This is a news feed. Copy its address into a feed reader to
            follow new guides, or go to
            <a><xsl:attribute name="href"><xsl:value-of select="rss/channel/link"/></xsl:attribute>the site</a>.</p>
        </header>
        <main>
          <xsl:for-each select="rss/channel/item">
            <article>
              <h2>
                <a>
                  <xsl:attribute name="href"><xsl:value-of select="link"/></xsl:attribute>
                  <xsl:value-of select="title"/>
                </a>
              </h2>
              <xsl:if test="pubDate">
                <p class="date">Published <xsl:value-of select="pubDate"/></p>
              </xsl:if>
              <p><xsl:value-of select="description"/></p>
            </article>
          </xsl:for-each>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
