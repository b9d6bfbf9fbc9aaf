// libpng (libpng-dev): PNG decoding for LatentIO's image reader, through libpng's simplified
// `png_image_*` API, which reports errors as return values (it longjmps internally, not into Swift).
#ifndef LATENT_CPNG_SHIM_H
#define LATENT_CPNG_SHIM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

// Largest image decoded (64 megapixels): bounds what a hostile header can make us allocate.
#define LATENT_MAXIMUM_PIXELS (1 << 26)

/// Decodes the PNG in `data[0..<size]` to 8-bit pixels, row-major: greyscale files (with or
/// without alpha) as 1 channel, everything else as 3 (RGB); an alpha channel is composited onto
/// black (libpng composites onto the zeroed buffer), 16-bit samples are reduced to 8 bits (as sRGB values, not the simplified API's default of linear light). Returns 0 and sets `*pixels` (free with free()), `*width`, `*height`, `*channels`, or
/// 1 with libpng's message in `message`.
static inline int latent_png_decode(const unsigned char *data, size_t size, unsigned char **pixels,
                                    int *width, int *height, int *channels, char *message, size_t capacity) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    *pixels = NULL;
    if (!png_image_begin_read_from_memory(&image, data, size)) {
        snprintf(message, capacity, "%s", image.message);
        png_image_free(&image);
        return 1;
    }
    if ((unsigned long long)image.width * image.height > LATENT_MAXIMUM_PIXELS) {
        snprintf(message, capacity, "%u x %u pixels is more than the %d read", image.width, image.height, LATENT_MAXIMUM_PIXELS);
        png_image_free(&image);
        return 1;
    }
    image.flags |= PNG_IMAGE_FLAG_16BIT_sRGB;   // 16-bit samples without gAMA/sRGB are sRGB, not linear
    int grey = (image.format & PNG_FORMAT_FLAG_COLOR) == 0;
    image.format = grey ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
    size_t bytes = PNG_IMAGE_SIZE(image);
    unsigned char *out = (unsigned char *)calloc(bytes, 1);   // zeroed: alpha composites onto black
    if (out == NULL) {
        snprintf(message, capacity, "out of memory for a %u x %u image", image.width, image.height);
        png_image_free(&image);
        return 1;
    }
    if (!png_image_finish_read(&image, NULL, out, 0, NULL)) {
        snprintf(message, capacity, "%s", image.message);
        png_image_free(&image);
        free(out);
        return 1;
    }
    *width = (int)image.width;
    *height = (int)image.height;
    *channels = grey ? 1 : 3;
    *pixels = out;
    return 0;
}

#endif
