package dev.switchboard.message.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigV4SignerTest {
    /**
     * The "GET Object" example of the S3 SigV4 documentation
     * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html):
     * the first 10 bytes of test.txt in examplebucket, with the example keys.
     */
    @Test
    void matchesTheAwsGetObjectExample() {
        SigV4Signer signer = new SigV4Signer("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "us-east-1", "s3");
        Map<String, String> headers = signer.sign("GET", URI.create("https://examplebucket.s3.amazonaws.com/test.txt"),
                Map.of("Range", "bytes=0-9"), SigV4Signer.EMPTY_SHA256, Instant.parse("2013-05-24T00:00:00Z"));
        assertEquals("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
                headers.get("Authorization"));
        assertEquals("20130524T000000Z", headers.get("x-amz-date"));
        assertEquals(SigV4Signer.EMPTY_SHA256, headers.get("x-amz-content-sha256"));
        assertEquals(SigV4Signer.EMPTY_SHA256, SigV4Signer.sha256Hex(""));
    }

    @Test
    void hostCarriesOnlyANonDefaultPort() {
        assertEquals("minio:9000", SigV4Signer.hostHeader(URI.create("http://minio:9000/b/k")));
        assertEquals("s3.example", SigV4Signer.hostHeader(URI.create("https://s3.example:443/b/k")));
    }

    @Test
    void objectKeysAreSafeRelativeSegments() {
        assertEquals("acme/3f2a-01.png", ObjectStore.checkKey("acme/3f2a-01.png"));
        for (String bad : new String[] {"../etc/passwd", "/abs", "a//b", "a/./b", "sp ace", "ümlaut", "trailing/"}) {
            assertThrows(IllegalArgumentException.class, () -> ObjectStore.checkKey(bad), bad);
        }
    }
}
