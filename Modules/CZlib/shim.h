// zlib: gzip input (IDX .gz files) and deflate for PNG output.
#include <zlib.h>
