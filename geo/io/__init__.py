"""Reading and writing files: the table, the basemap, render stamps, and the only writer."""
